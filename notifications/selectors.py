"""Reads of notifications: a person's list, unread ones first."""

from django.db.models import BooleanField, ExpressionWrapper, Q

from .models import Notification


def notifications_for(user):
    """The person's notifications, unread ones first, then the newest."""
    return (
        Notification.objects.filter(recipient=user)
        .select_related("actor")
        .annotate(unread=ExpressionWrapper(Q(read_at__isnull=True), output_field=BooleanField()))
        .order_by("-unread", "-created_at", "-id")
    )
