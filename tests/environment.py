"""Loaded with `-p` before Django is set up: the environment of the test suite."""

import os
import secrets
from urllib.parse import urlsplit, urlunsplit

# The suite runs with production-like settings (DEBUG off) over plain HTTP on the test server.
os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
os.environ.setdefault("HTTPS", "0")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
os.environ.setdefault("CONTACT_EMAIL", "contact@fabrique.exemple.fr")

# Redis has 16 numbered databases. Under pytest-xdist each worker process (gw0, gw1…) gets its own database
# for the cache and another for the Celery broker of its `worker` tests: `cache.clear()` empties only its
# own, and a broker never shares a database with a cache. Worker i of a suite given REDIS_URL=…/n uses
# database n + i for its cache and n + 8 + i for its broker (a run without xdist is worker 0).
REDIS_DATABASES = 16
BROKER_OFFSET = 8


def _with_database(url: str, number: int) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{number % REDIS_DATABASES}"))


def _worker_index() -> int:
    name = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    return int(name.removeprefix("gw") or 0)


if os.environ.get("REDIS_URL"):
    _base = os.environ["REDIS_URL"]
    _path = urlsplit(_base).path.strip("/")
    _first = int(_path) if _path.isdecimal() else 0
    _index = _worker_index()
    os.environ["REDIS_URL"] = _with_database(_base, _first + _index)
    # Not CELERY_BROKER_URL: Celery reads that variable before any setting, so no test could change it.
    os.environ["FABRIQUE_TEST_BROKER_URL"] = _with_database(_base, _first + BROKER_OFFSET + _index)
