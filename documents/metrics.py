"""The documents' gauges in the metrics: how many wait, run or failed, and how long the oldest has waited."""

from django.db.models import Count, Min
from django.utils import timezone

from ops.metrics import register_gauge

from .models import Document, DocumentStatus

UNFINISHED = (DocumentStatus.PENDING, DocumentStatus.RUNNING)


def documents_by_status():
    counts = dict(Document.objects.order_by().values_list("status").annotate(n=Count("id")))
    return [((status,), counts.get(status, 0)) for status in DocumentStatus.values]


def oldest_unfinished():
    oldest = Document.objects.filter(status__in=UNFINISHED).aggregate(at=Min("requested_at"))["at"]
    return [((), (timezone.now() - oldest).total_seconds() if oldest else 0)]


def register():
    register_gauge(
        "fabrique_documents", "Documents (PDF, ODT, DOCX) by status.", ["status"], documents_by_status
    )
    register_gauge(
        "fabrique_documents_oldest_unfinished_seconds",
        "Age of the oldest document still pending or running (0 when none).",
        [],
        oldest_unfinished,
    )
