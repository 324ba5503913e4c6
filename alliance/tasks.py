from celery import shared_task


@shared_task(acks_late=True)
def send_charter_reminders() -> int:
    """Daily (Celery beat): reminders before the re-signing deadline, then the « à renouveler » notice."""
    from .services import charter_send_reminders

    return charter_send_reminders()
