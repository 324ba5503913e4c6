from celery import shared_task

from . import emails


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_notification_emails(notification_ids: list[int]) -> None:
    emails.send_immediate(notification_ids)


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_daily_digests() -> None:
    emails.send_digests()
