from django.contrib.contenttypes.models import ContentType

from .models import AuditEntry


def audit(*, actor, action: str, target, **data) -> AuditEntry:
    """Record one step of a workflow; called by services inside their transaction."""
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        target_type=ContentType.objects.get_for_model(target),
        target_id=str(target.pk),
        target_repr=str(target)[:255],
        data=data,
    )


def history_of(target):
    return AuditEntry.objects.filter(
        target_type=ContentType.objects.get_for_model(target), target_id=str(target.pk)
    ).select_related("actor")


def audit_entries():
    """The platform's audit log, the newest first."""
    return AuditEntry.objects.select_related("actor", "target_type").order_by("-created_at", "-id")
