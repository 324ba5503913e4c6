"""What the benchmarks share: the Django set-up, the throwaway database, the timing of a page, the table.

Each script, run as `python bench/<name>.py`, has bench/ on its path: it imports this module first, calls
`setup_django()`, and only then imports Django's and the project's modules.
"""

import os
import secrets
import statistics
import sys
import tempfile
import time
import tracemalloc
import warnings
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup_django() -> None:
    """The test suite's environment: production-like settings (DEBUG off), plain HTTP on the test server."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fabrique.settings")
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    os.environ.setdefault("HTTPS", "0")
    os.environ.setdefault("CONTACT_EMAIL", "contact@fabrique.exemple.fr")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    # WhiteNoise warns that collectstatic has not run: the benchmarks do not serve static files.
    warnings.filterwarnings("ignore", message="No directory at")

    import django

    django.setup()


@contextmanager
def web_settings() -> Iterator[None]:
    """Fast password hashing, Celery tasks run inline, uploads in a temporary directory removed at the end."""
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.CELERY_TASK_ALWAYS_EAGER = True
    with tempfile.TemporaryDirectory(prefix="fabrique-bench-") as media:
        settings.STORAGES = {
            "default": {
                "BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": media},
            },
            # No collectstatic here: the manifest storage of production would fail on {% static %}.
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
        yield


@contextmanager
def throwaway_database() -> Iterator[None]:
    """A database created by Django's test machinery for the block, dropped at its end."""
    from django.conf import settings
    from django.db import connection
    from django.test.utils import setup_test_environment, teardown_test_environment

    # Its own database name: a test run in parallel (test_<name>) is left alone.
    settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = f"bench_fabrique_{os.getpid()}"
    setup_test_environment()
    old_name = settings.DATABASES["default"]["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        yield
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()


def measure(client, url, params, requests: int) -> dict:
    """Median and 95th percentile time (ms), queries and peak memory (KiB) of one GET of a page."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    response = client.get(url, params)  # warm-up: template loading, caches
    assert response.status_code == 200, (url, params, response.status_code)
    timings = []
    for _ in range(requests):
        start = time.perf_counter()
        response = client.get(url, params)
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    with CaptureQueriesContext(connection) as captured:
        client.get(url, params)
    queries = len(captured)  # now: the next request empties the connection's query log
    # Memory on separate requests: tracemalloc slows Python down and would spoil the timings.
    tracemalloc.start()
    peaks = []
    for _ in range(5):
        tracemalloc.reset_peak()
        client.get(url, params)
        peaks.append(tracemalloc.get_traced_memory()[1])
    tracemalloc.stop()
    return {
        "median": statistics.median(timings),
        "p95": statistics.quantiles(timings, n=20)[-1],
        "queries": queries,
        "peak_kib": max(peaks) / 1024,
    }


def print_measurements(scenarios: Iterable[tuple[str, object, str, dict]], requests: int, width: int) -> None:
    """Measures each (label, client, url, params) page and prints a row of the table for it."""
    header = f"{'page':<{width}} {'médiane':>9} {'p95':>9} {'requêtes':>9} {'pic mémoire':>12}"
    print(header)
    print("-" * len(header))
    for label, client, url, params in scenarios:
        result = measure(client, url, params, requests)
        print(
            f"{label:<{width}} {result['median']:>6.1f} ms {result['p95']:>6.1f} ms {result['queries']:>9} "
            f"{result['peak_kib']:>8.0f} KiB",
            flush=True,
        )
