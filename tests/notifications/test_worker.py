"""A real Celery worker sends the immediate e-mail of a notification once the service's transaction commits.

Needs REDIS_URL, like tests/test_celery_worker.py (skipped on a laptop without it, failed in CI without it).
The worker runs in this process (solo pool, in a thread), so the locmem mail backend's outbox is shared.
"""

import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.db import transaction

from fabrique.celery import app
from notifications.models import Notification
from notifications.services import notify
from tests.test_celery_worker import real_broker, redis_url  # noqa: F401 - fixtures

pytestmark = pytest.mark.worker


def _wait_for(condition, timeout=20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_real_worker_sends_the_immediate_email_after_the_commit(real_broker, users, kind, target_url):  # noqa: F811
    with start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING", shutdown_timeout=20):
        with transaction.atomic():
            [notification] = notify(
                kind=kind,
                recipients=[users["facilitator"]],
                actor=users["agent"],
                title="La note de faisabilité est soumise",
                url=target_url,
            )
            # Nothing is enqueued before the commit: the worker could not even read the row yet.
            time.sleep(0.5)
            assert mail.outbox == []

        assert _wait_for(lambda: len(mail.outbox) == 1), "the worker sent no e-mail"
        assert _wait_for(lambda: Notification.objects.get(pk=notification.pk).emailed_at is not None)

    [message] = mail.outbox
    assert message.to == [users["facilitator"].email]
    assert message.subject == "[La Fabrique des Transitions] La note de faisabilité est soumise"
    assert target_url in message.body
