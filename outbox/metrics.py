"""The outbox's gauges in the metrics: e-mails still to send or failed, and the age of the oldest waiting."""

from django.db.models import Count, Min
from django.utils import timezone

from ops.metrics import register_gauge

from .models import EmailStatus, OutgoingEmail

WATCHED = (EmailStatus.PENDING, EmailStatus.FAILED)


def emails_by_status():
    counts = dict(
        OutgoingEmail.objects.filter(status__in=WATCHED)
        .order_by()
        .values_list("status")
        .annotate(n=Count("id"))
    )
    return [((status,), counts.get(status, 0)) for status in WATCHED]


def oldest_pending():
    oldest = OutgoingEmail.objects.filter(status=EmailStatus.PENDING).aggregate(at=Min("created_at"))["at"]
    return [((), (timezone.now() - oldest).total_seconds() if oldest else 0)]


def register():
    register_gauge(
        "fabrique_outbox_emails", "E-mails of the outbox to send or failed.", ["status"], emails_by_status
    )
    register_gauge(
        "fabrique_outbox_oldest_pending_seconds",
        "Age of the oldest e-mail still to send (0 when none).",
        [],
        oldest_pending,
    )
