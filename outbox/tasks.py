from celery import shared_task

from . import services


@shared_task
def send_emails(email_ids: list[int]) -> None:
    # No Celery retry: a failed e-mail records its next attempt on its row, and the sweep brings it back.
    for email_id in email_ids:
        services.email_send(email_id=email_id)


@shared_task
def sweep_emails() -> None:
    services.emails_sweep()
