"""A person's agenda subscription: created, replaced by a new secret address, revoked."""

from django.db import transaction
from django.utils import timezone

from core.audit import audit

from .models import CalendarSubscription, new_token


def subscription_renew(*, actor) -> CalendarSubscription:
    """Give the person a new secret address; the previous one, if any, stops working at once."""
    with transaction.atomic():
        subscription, created = CalendarSubscription.objects.select_for_update().get_or_create(user=actor)
        if not created:
            subscription.token = new_token()
            subscription.last_read_at = None
            subscription.save(update_fields=["token", "last_read_at"])
        audit(actor=actor, action="calendar.subscribe", target=actor, renewed=not created)
    return subscription


def subscription_revoke(*, actor) -> bool:
    """Revoke the person's address; agendas that follow it get nothing from now on."""
    with transaction.atomic():
        deleted, _rows = CalendarSubscription.objects.filter(user=actor).delete()
        if deleted:
            audit(actor=actor, action="calendar.revoke", target=actor)
    return bool(deleted)


def subscription_read(*, subscription: CalendarSubscription) -> None:
    """Note when an agenda last read the secret address (shown to the person beside it)."""
    CalendarSubscription.objects.filter(pk=subscription.pk).update(last_read_at=timezone.now())
