"""The health endpoint (/sante/): 200 when the database, cache, broker and workers answer, 503 otherwise."""

import time

import pytest
from django.conf import settings as django_settings
from django.db import OperationalError
from django.urls import reverse

from core import health
from fabrique.celery import app

CELERY_KEYS = ("task_always_eager", "broker_url", "broker_write_url", "result_backend")


@pytest.fixture
def celery_settings(settings):
    """The pytest-django `settings` fixture, with the Celery app reading the CELERY_* settings live.

    Values set directly on `app.conf` (by another fixture) would shadow the Django settings: they are
    put aside for the test and restored afterwards.
    """
    shadowed = {key: app.conf.changes.pop(key) for key in CELERY_KEYS if key in app.conf.changes}
    yield settings
    for key in CELERY_KEYS:
        app.conf.changes.pop(key, None)
    app.conf.changes.update(shadowed)


def get_health(client):
    # secure=True: the answer must not depend on whether the test settings redirect to HTTPS.
    return client.get(reverse("core:health"), secure=True)


@pytest.mark.django_db
def test_all_ok_in_eager_mode(client, celery_settings):
    celery_settings.CELERY_TASK_ALWAYS_EAGER = True

    response = get_health(client)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["ok"] is True
    assert body["cache"]["ok"] is True
    assert body["broker"] == {"ok": True, "mode": "eager"}
    assert body["worker"] == {"ok": True, "mode": "eager"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_a_cache_that_loses_its_values_is_degraded(client, celery_settings):
    celery_settings.CELERY_TASK_ALWAYS_EAGER = True
    celery_settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}

    response = get_health(client)

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "degraded"
    assert body["cache"]["ok"] is False
    assert body["database"]["ok"] is True


@pytest.mark.django_db
def test_an_unreachable_cache_is_degraded_without_leaking_its_address(client, celery_settings):
    celery_settings.CELERY_TASK_ALWAYS_EAGER = True
    celery_settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://:cache-secret@127.0.0.1:1/0",
        }
    }

    response = get_health(client)

    assert response.status_code == 503
    body = response.json()
    assert body["cache"] == {"ok": False, "error": "ConnectionError", "ms": body["cache"]["ms"]}
    assert b"cache-secret" not in response.content
    assert b"127.0.0.1" not in response.content


@pytest.mark.django_db
def test_an_unreachable_broker_is_degraded_quickly_without_leaking_its_url(client, celery_settings):
    celery_settings.CELERY_TASK_ALWAYS_EAGER = False
    celery_settings.CELERY_BROKER_URL = "redis://:broker-secret@127.0.0.1:1/0"

    start = time.monotonic()
    response = get_health(client)
    elapsed = time.monotonic() - start

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "degraded"
    assert body["broker"]["ok"] is False
    assert body["worker"]["ok"] is False
    assert body["database"]["ok"] is True
    assert b"broker-secret" not in response.content
    assert b"redis://" not in response.content
    assert elapsed < 3


@pytest.mark.django_db
def test_a_database_error_is_degraded_without_leaking_its_message(client, celery_settings, monkeypatch):
    celery_settings.CELERY_TASK_ALWAYS_EAGER = True

    class BrokenConnection:
        def cursor(self):
            raise OperationalError('connection to "db.internal" failed: password=db-secret')

    monkeypatch.setattr(health, "connection", BrokenConnection())

    response = get_health(client)

    assert response.status_code == 503
    body = response.json()
    assert body["database"]["ok"] is False
    assert body["database"]["error"] == "OperationalError"
    assert b"db-secret" not in response.content
    assert b"db.internal" not in response.content


@pytest.fixture
def database_down(db):
    """Every new query fails as if PostgreSQL had stopped (the test's own transaction stays open beneath);
    the database comes back before the test's transaction is rolled back."""
    from django.db import connection

    def refuse(*args, **kwargs):
        raise OperationalError('connection to "db.internal" failed: password=db-secret')

    with pytest.MonkeyPatch.context() as patcher:
        yield lambda: patcher.setattr(connection, "ensure_connection", refuse)


@pytest.mark.django_db
@pytest.mark.parametrize("signed_in", [True, False])
def test_with_a_session_cookie_a_database_outage_still_answers_the_503_json(
    client, celery_settings, django_user_model, database_down, signed_in
):
    celery_settings.CELERY_TASK_ALWAYS_EAGER = True
    if signed_in:
        client.force_login(django_user_model.objects.create_user(email="ops@exemple.fr"))
    else:
        client.cookies[django_settings.SESSION_COOKIE_NAME] = "a-session-key-the-database-would-be-asked-for"
    database_down()

    response = get_health(client)

    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["status"] == "degraded"
    assert body["database"]["ok"] is False and body["database"]["error"] == "OperationalError"
    assert body["cache"]["ok"] is True
    assert b"db-secret" not in response.content


@pytest.mark.django_db
def test_the_health_endpoint_reads_no_session_and_sets_no_cookie(client, celery_settings, django_user_model):
    celery_settings.CELERY_TASK_ALWAYS_EAGER = True
    client.force_login(django_user_model.objects.create_user(email="ops@exemple.fr"))

    response = get_health(client)

    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert not response.cookies
    assert not hasattr(response.wsgi_request, "session")
