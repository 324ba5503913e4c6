from celery import shared_task
from django.conf import settings

from . import services

MAX_RETRIES = 3


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=MAX_RETRIES,
    time_limit=settings.DOCUMENT_RENDER_TIME_LIMIT,
    soft_time_limit=settings.DOCUMENT_RENDER_TIME_LIMIT - 10,
)
def render_document(self, document_id: int):
    try:
        services.document_render(document_id=document_id)
    except Exception as error:
        final = self.request.retries >= self.max_retries
        services.document_record_failure(document_id=document_id, error=repr(error), final=final)
        if not final:
            # Exponential backoff: 2, 4, 8 s. Run in process (no broker), the retry is returned rather than
            # raised: Celery's eager mode then runs it at once instead of propagating it to the request.
            return self.retry(
                exc=error, countdown=2 ** (self.request.retries + 1), throw=not self.request.is_eager
            )
    return None


@shared_task
def sweep_documents() -> None:
    services.documents_sweep()
