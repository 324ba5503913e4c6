"""A real `celery worker` process killed (SIGKILL) in the middle of a PDF render: once a worker is available
again, the document is finished within 3 minutes, without waiting for beat or for Redis to hand the
unacknowledged task back. Real PostgreSQL, real Redis, real worker processes; bounded in time."""

import hashlib
import os
import signal
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from documents import services
from documents.models import Document, DocumentStatus
from fabrique.celery import app
from tests.test_celery_worker import real_broker, redis_url  # noqa: F401 - fixtures

pytestmark = [
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("real_broker"),
]

# About 50 pages: long enough (10–20 s here) to be killed in the middle of it.
PARAGRAPHS = 1200
WITHIN = 180  # seconds, from the moment a worker is started again


def _database_url() -> str:
    db = connection.settings_dict
    host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{host}/{db['NAME']}"


def _start_worker(name, tmp_path, redis):
    """`celery worker` as production runs it, on the test database; its output in a file for the report."""
    log = open(tmp_path / f"{name}.log", "wb")  # noqa: SIM115 - closed with the process
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "REDIS_URL": redis,
        "CELERY_BROKER_URL": redis,
        "MEDIA_ROOT": str(tmp_path / "media"),
        "DJANGO_SETTINGS_MODULE": "fabrique.settings",
    }
    command = [sys.executable, "-m", "celery", "-A", "fabrique", "worker", "--pool=solo", "--loglevel=INFO"]
    command += ["--without-gossip", "--without-mingle", "-n", f"{name}@%h"]
    process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=settings.BASE_DIR)
    process.log_path = tmp_path / f"{name}.log"
    return process


def _wait_for(condition, seconds, what, processes=()):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    logs = "\n".join(p.log_path.read_text(errors="replace")[-3000:] for p in processes)
    raise AssertionError(f"{what} not within {seconds} s\n{logs}")


def _stop(process):
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)


def _status(document):
    document.refresh_from_db()
    return document.status


def test_a_render_killed_with_its_worker_is_finished_within_three_minutes_of_a_worker_coming_back(
    world,
    tmp_path,
    real_broker,  # noqa: F811
):
    app.control.purge()  # tasks of earlier tests: this worker has only our document to render
    html = "<html lang='fr'><title>Dossier volumineux</title><body>"
    html += "".join(
        f"<p>Paragraphe {i} : coopérer entre pairs, élus et agents.</p>" for i in range(PARAGRAPHS)
    )
    html += "</body></html>"
    document = Document.objects.create(
        kind="draft",
        territory=world.territory,
        project=world.project,
        deliverable=world.cadrage,
        title="Dossier volumineux",
        source_html=html,
        content_hash=hashlib.sha256(html.encode()).hexdigest(),
        enqueued_at=timezone.now(),
    )
    services._enqueue(document.pk)

    first = _start_worker("first", tmp_path, real_broker)
    try:
        _wait_for(lambda: _status(document) == DocumentStatus.RUNNING, 120, "the render's start", [first])
        assert not services._try_render_lock(document.pk), "the rendering worker holds its lock"
        first.send_signal(signal.SIGKILL)
        first.wait(10)
    finally:
        _stop(first)
    assert _status(document) == DocumentStatus.RUNNING, "killed in the middle of the render"

    # PostgreSQL has released the dead worker's lock.
    def orphaned():
        if services._try_render_lock(document.pk):
            services._release_render_lock(document.pk)
            return True
        return False

    _wait_for(orphaned, 10, "the lock's release")

    started = time.monotonic()
    second = _start_worker("second", tmp_path, real_broker)
    try:
        _wait_for(lambda: _status(document) == DocumentStatus.READY, WITHIN, "the finished PDF", [second])
        elapsed = time.monotonic() - started
    finally:
        _stop(second)

    assert elapsed < WITHIN
    assert document.attempts == 2
    assert document.page_count > 20
    print(f"finished {elapsed:.0f} s after the second worker was started")
