"""A real Celery worker against the real Redis broker: a task's round trip, and the health endpoint.

These tests need REDIS_URL. Without it they are skipped on a laptop, but they fail when
FABRIQUE_REQUIRE_SERVICES is set (the CI run), so that a missing service can never pass unnoticed.
"""

import os
from contextlib import contextmanager

import kombu.pools
import pytest
from celery.contrib.testing.worker import start_worker
from django.urls import reverse

from core.tasks import ping
from fabrique.celery import app

pytestmark = pytest.mark.worker


@pytest.fixture
def redis_url():
    """The broker's Redis: its own database, apart from the cache's (tests/environment.py)."""
    url = os.environ.get("FABRIQUE_TEST_BROKER_URL")
    if not url:
        if os.environ.get("FABRIQUE_REQUIRE_SERVICES"):
            pytest.fail("REDIS_URL is not set but FABRIQUE_REQUIRE_SERVICES is: Redis is required")
        pytest.skip("Redis not configured")
    return url


def _reset_connections():
    """Forget the broker connections and result backend built from the previous configuration."""
    kombu.pools.reset()  # closes every pooled broker connection and empties kombu's pool registry
    app._pool = None
    app.amqp._producer_pool = None
    app._backend_cache = None
    vars(app._local).pop("backend", None)


@contextmanager
def celery_configured(**values):
    """Set values on the Celery app's configuration for the duration of a block, then restore it."""
    changes = app.conf.changes
    saved = {key: changes[key] for key in values if key in changes}
    changes.update(values)
    _reset_connections()
    try:
        yield
    finally:
        for key in values:
            changes.pop(key, None)
        changes.update(saved)
        _reset_connections()


@pytest.fixture
def real_broker(redis_url, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = redis_url
    with celery_configured(
        task_always_eager=False,
        broker_url=redis_url,
        result_backend=redis_url,
        # The worker runs inside pytest: it must leave pytest's logging alone.
        worker_hijack_root_logger=False,
    ):
        yield redis_url


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_task_runs_on_a_real_worker_and_health_sees_the_worker(client, real_broker):
    with start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING", shutdown_timeout=20):
        result = ping.delay()
        assert result.get(timeout=20) == "pong"

        response = client.get(reverse("core:health"), secure=True)

    body = response.json()
    assert response.status_code == 200, body
    assert body["status"] == "ok"
    assert body["broker"]["ok"] is True
    assert body["worker"]["ok"] is True
    assert body["worker"]["workers"] >= 1
    assert "mode" not in body["broker"]


@pytest.mark.django_db
def test_health_is_degraded_when_no_worker_answers(client, real_broker):
    response = client.get(reverse("core:health"), secure=True)

    body = response.json()
    assert response.status_code == 503, body
    assert body["broker"]["ok"] is True
    assert body["worker"] == {"ok": False, "workers": 0, "ms": body["worker"]["ms"]}
