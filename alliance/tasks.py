from celery import shared_task

from . import notifications


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_membership_email(membership_id: int) -> None:
    notifications.send_membership_email(membership_id)


@shared_task(acks_late=True)
def send_charter_reminders() -> int:
    """Daily (Celery beat): reminders before the re-signing deadline, then the « à renouveler » notice."""
    from .services import charter_send_reminders

    return charter_send_reminders()
