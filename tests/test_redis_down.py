"""With the whole Redis down (the cache and the broker, both at a closed port): every page still answers,
people still log in (allauth's rate limits live in the cache), the dossier PDF still renders (the actor map's
layout is cached), a committed action still succeeds, and /sante/ says the cache is down. The cache backend
(core/cache.py) logs the failure and treats it as a miss."""

import logging

import pytest
from django.contrib.auth import SESSION_KEY
from django.core.cache import cache
from django.urls import reverse
from redis.exceptions import ConnectionError as RedisConnectionError

from core import cache as fail_safe
from documents import services as documents
from documents.models import Document, DocumentKind, DocumentStatus
from tests.factories import PASSWORD
from tests.test_celery_worker import celery_configured, redis_url  # noqa: F401 - fixture

CLOSED = "redis://:cache-secret@127.0.0.1:1/0"


def _platform_cache(location):
    # The production configuration (fabrique/settings.py) at another address.
    return {
        "default": {
            "BACKEND": "core.cache.FailSafeRedisCache",
            "LOCATION": location,
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }


@pytest.fixture
def redis_down(settings):
    settings.CACHES = _platform_cache(CLOSED)
    settings.CELERY_TASK_ALWAYS_EAGER = False
    with celery_configured(task_always_eager=False, broker_url=CLOSED):
        yield


def test_the_platform_uses_the_fail_safe_backend_whenever_redis_is_configured():
    from fabrique import settings as platform

    if platform.REDIS_URL:
        assert platform.CACHES["default"]["BACKEND"] == "core.cache.FailSafeRedisCache"
    else:
        assert platform.CACHES["default"]["BACKEND"].endswith("LocMemCache")


def test_an_unreachable_cache_misses_and_logs_instead_of_raising(redis_down, caplog):
    with caplog.at_level(logging.WARNING, logger="core.cache"):
        assert cache.get("clef", "défaut") == "défaut"
    assert "Cache unavailable (get), treated as a miss" in caplog.text
    assert cache.add("verrou", True) is True, "an empty cache grants the lock"
    assert cache.set("clef", 1) is None
    assert cache.get_many(["a", "b"]) == {}
    assert cache.has_key("clef") is False
    assert cache.get_or_set("clef", "calculé") == "calculé"
    assert cache.delete("clef") is False
    with pytest.raises(ValueError):
        cache.incr("compteur")


def test_after_a_failure_redis_is_left_alone_a_few_seconds_and_logged_once(settings, monkeypatch, caplog):
    settings.CACHES = _platform_cache(CLOSED)
    calls = []

    def refuse(self, *args, **kwargs):
        calls.append(1)
        raise RedisConnectionError("Connection refused")

    monkeypatch.setattr("django.core.cache.backends.redis.RedisCacheClient.get", refuse)
    clock = [1000.0]
    monkeypatch.setattr(fail_safe.time, "monotonic", lambda: clock[0])

    with caplog.at_level(logging.WARNING, logger="core.cache"):
        for _ in range(10):
            assert cache.get("clef") is None
        assert len(calls) == 1, "a hanging Redis costs one timeout, not one per call"
        clock[0] += fail_safe.RETRY_AFTER + 1
        assert cache.get("clef") is None
        assert len(calls) == 2
    assert caplog.text.count("Cache unavailable") == 1


@pytest.mark.django_db
def test_login_works_with_the_whole_redis_down(redis_down, settings, agent, client):
    assert settings.ACCOUNT_RATE_LIMITS, "the rate limits are on, as in production"

    response = client.post(reverse("account_login"), {"login": agent.email, "password": PASSWORD})

    assert response.status_code == 302, response.content.decode()[:500]
    assert client.session[SESSION_KEY] == str(agent.pk)
    assert client.get(reverse("dashboards:my_space")).status_code == 200


@pytest.mark.django_db
def test_a_wrong_password_is_still_refused_with_the_whole_redis_down(redis_down, agent, client):
    response = client.post(reverse("account_login"), {"login": agent.email, "password": "pas-le-bon"})
    assert response.status_code == 200
    assert SESSION_KEY not in client.session


def test_the_dossier_pdf_renders_with_the_whole_redis_down(redis_down, world, client_for):
    assert world.project.actors.exists(), "the dossier draws the actor map"
    client = client_for("agent")

    response = client.post(reverse("documents:request_dossier", args=[world.project.pk]))

    assert response.status_code in (200, 302)
    document = Document.objects.filter(project=world.project, kind=DocumentKind.DOSSIER).latest("pk")
    assert document.status == DocumentStatus.PENDING, "the broker is down: the sweep will hand it over"
    assert 'id="pdf-actor-map' in document.source_html
    # What the worker does once the broker is back: its cache is down too.
    document = documents.document_render(document_id=document.pk)
    assert document.status == DocumentStatus.READY, document.error
    assert document.file.read(5) == b"%PDF-"
    assert client.get(reverse("projects:detail", args=[world.project.pk])).status_code == 200


@pytest.mark.django_db
def test_health_reports_the_cache_and_the_broker_down_without_their_address(redis_down, client):
    response = client.get(reverse("core:health"), secure=True)

    assert response.status_code == 503
    body = response.json()
    assert body["cache"] == {"ok": False, "error": "ConnectionError", "ms": body["cache"]["ms"]}
    assert body["broker"]["ok"] is False
    assert body["database"]["ok"] is True
    assert b"cache-secret" not in response.content and b"127.0.0.1" not in response.content


def test_the_fail_safe_cache_keeps_values_when_redis_is_up(redis_url, settings):  # noqa: F811
    settings.CACHES = _platform_cache(redis_url)
    cache.set("fabrique:test", {"a": 1}, 10)
    assert cache.get("fabrique:test") == {"a": 1}
    assert cache.add("fabrique:test", "autre") is False
    assert cache.check() is True
    cache.delete("fabrique:test")
