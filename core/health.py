"""The health endpoint (/sante/): the database, the cache, the Celery broker and the workers.

It answers 200 when everything is up and 503 otherwise, with a JSON body that names each component but
never an address, a URL or a password: only booleans, counts, durations and exception class names.
Every check is bounded by a short timeout so that a dead service cannot hang the monitoring probe.
"""

import logging
import time
import uuid

from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from fabrique.celery import app

logger = logging.getLogger(__name__)

BROKER_TIMEOUT = 2  # seconds, for connecting to the broker
WORKER_TIMEOUT = 1  # seconds, for the workers to answer a ping


def _failure(component: str, exc: Exception) -> dict:
    # The exception's message may carry a host name or a URL: it goes to the log, not to the response.
    logger.warning("health: %s check failed: %s", component, exc, exc_info=exc)
    return {"ok": False, "error": type(exc).__name__}


def _timed(check):
    start = time.monotonic()
    result = check()
    result["ms"] = round((time.monotonic() - start) * 1000, 1)
    return result


def check_database() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            ok = cursor.fetchone() == (1,)
    except Exception as exc:
        return _failure("database", exc)
    return {"ok": ok}


def _cache_round_trip() -> bool:
    key = f"health:{uuid.uuid4().hex}"
    value = uuid.uuid4().hex
    cache.set(key, value, timeout=10)
    ok = cache.get(key) == value
    cache.delete(key)
    return ok


def check_cache() -> dict:
    try:
        # The Redis backend turns an outage into misses for the pages; its check() raises instead.
        ok = cache.check() if hasattr(cache, "check") else _cache_round_trip()
    except Exception as exc:
        return _failure("cache", exc)
    if not ok:
        return {"ok": False, "error": "the value written could not be read back"}
    return {"ok": True}


def _eager() -> bool:
    # The Celery configuration comes from the CELERY_* settings (fabrique/celery.py).
    return bool(app.conf.task_always_eager)


def check_broker_and_worker() -> tuple[dict, dict]:
    if _eager():
        # No broker configured: tasks run in the web process, there is no worker to wait for.
        return {"ok": True, "mode": "eager"}, {"ok": True, "mode": "eager"}
    start = time.monotonic()
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(
                max_retries=1, interval_start=0, interval_step=0.2, interval_max=0.2, timeout=BROKER_TIMEOUT
            )
            broker = {"ok": True, "ms": round((time.monotonic() - start) * 1000, 1)}
            start = time.monotonic()
            try:
                replies = app.control.inspect(timeout=WORKER_TIMEOUT, connection=conn).ping() or {}
            except Exception as exc:
                worker = _failure("worker", exc)
            else:
                worker = {"ok": len(replies) >= 1, "workers": len(replies)}
            worker["ms"] = round((time.monotonic() - start) * 1000, 1)
    except Exception as exc:
        broker = _failure("broker", exc)
        worker = {"ok": False, "error": "broker unreachable"}
    return broker, worker


@never_cache
def health(request):
    broker, worker = check_broker_and_worker()
    body = {
        "status": "ok",
        "database": _timed(check_database),
        "cache": _timed(check_cache),
        "broker": broker,
        "worker": worker,
    }
    components = ("database", "cache", "broker", "worker")
    if not all(body[name]["ok"] for name in components):
        body["status"] = "degraded"
    return JsonResponse(body, status=200 if body["status"] == "ok" else 503)
