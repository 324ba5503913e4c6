from celery import shared_task

from . import notifications


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_membership_email(membership_id: int) -> None:
    notifications.send_membership_email(membership_id)
