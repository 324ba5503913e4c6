from celery import shared_task

from . import emails


@shared_task
def send_daily_digests() -> None:
    # Queues one outbox e-mail per person; the outbox sends them and retries what fails.
    emails.queue_digests()
