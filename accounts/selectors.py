"""Reads of accounts: the admins' register of personal data requests."""

from .models import PrivacyRequest


def privacy_requests():
    """Every export and deletion asked for, the newest first."""
    return PrivacyRequest.objects.select_related("user").order_by("-created_at", "-id")
