import logging
import os

from celery import Celery
from celery.signals import worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fabrique.settings")

app = Celery("fabrique")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

logger = logging.getLogger(__name__)

# The sweeps that hand over again what waited for a worker: beat runs them every minute
# (CELERY_BEAT_SCHEDULE), and a worker runs them as it starts.
SWEEPS = ("documents.tasks.sweep_documents", "outbox.tasks.sweep_emails")


@worker_ready.connect
def sweep_when_a_worker_starts(**kwargs):
    """A worker that starts (after a crash, a deploy, an outage) takes over at once what its predecessor left
    half-done (a PDF whose render was killed, e-mails left pending), even when beat is not running."""
    for name in SWEEPS:
        try:
            app.send_task(name)
        except Exception:
            logger.warning("Could not ask for %s at worker start", name, exc_info=True)
