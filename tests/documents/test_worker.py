"""PDF rendering through the real Redis broker and a real Celery worker (the CI's services): the round trip,
a broker that is down, a task that fails before it succeeds, and a duplicate request."""

import time
from datetime import timedelta

import pytest
from celery.contrib.testing.worker import start_worker
from django.db import transaction
from django.utils import timezone

from documents import rendering, services
from documents.models import Document, DocumentStatus
from fabrique.celery import app
from tests.test_celery_worker import celery_configured, real_broker, redis_url  # noqa: F401 - fixtures

pytestmark = [
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("real_broker"),
]


def _worker():
    return start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING", shutdown_timeout=30)


def _wait_until_finished(document, seconds=90):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        document.refresh_from_db()
        if document.is_finished:
            return document
        time.sleep(0.2)
    raise AssertionError(f"document still {document.status} after {seconds} s")


def _request(world):
    with transaction.atomic():
        return services.document_request_note(actor=world.users["agent"], deliverable=world.cadrage)


def test_a_requested_pdf_is_rendered_by_the_worker(world):
    with _worker():
        document = _request(world)
        assert document.status == DocumentStatus.PENDING
        document = _wait_until_finished(document)
    assert document.status == DocumentStatus.READY, document.error
    assert document.attempts == 1
    assert document.file.read(5) == b"%PDF-"


def test_with_the_broker_down_the_request_succeeds_and_the_sweep_renders_it_later(world):
    with celery_configured(broker_url="redis://127.0.0.1:1/0"):
        started = time.monotonic()
        document = _request(world)
        assert time.monotonic() - started < 15
    document.refresh_from_db()
    assert document.status == DocumentStatus.PENDING
    with _worker():
        # Too recent: the sweep leaves it to the broker's own redelivery.
        assert document.pk not in services.documents_sweep()
        assert document.pk in services.documents_sweep(now=timezone.now() + timedelta(minutes=5))
        document = _wait_until_finished(document)
    assert document.status == DocumentStatus.READY, document.error


def test_a_task_that_fails_twice_then_succeeds_leaves_a_ready_document(world, monkeypatch):
    real_render = rendering.render_pdf
    calls = []

    def flaky(html, **kwargs):
        # Other documents (the world's validated note) may pass through the worker: only ours fails.
        if "BROUILLON" not in html:
            return real_render(html, **kwargs)
        calls.append(1)
        if len(calls) <= 2:
            raise OSError("disque saturé")
        return real_render(html, **kwargs)

    monkeypatch.setattr(rendering, "render_pdf", flaky)
    with _worker():
        document = _wait_until_finished(_request(world))
    assert document.status == DocumentStatus.READY, document.error
    assert document.attempts == 3
    assert len(calls) == 3


def test_a_duplicate_request_reuses_the_rendered_file(world):
    with _worker():
        first = _wait_until_finished(_request(world))
        second = _request(world)
    assert second.pk == first.pk
    assert second.status == DocumentStatus.READY
    drafts = Document.objects.filter(deliverable=world.cadrage, kind="draft").exclude(pk=world.document.pk)
    assert drafts.count() == 1
    first.refresh_from_db()
    assert first.attempts == 1


def test_a_document_whose_worker_died_a_moment_ago_is_rendered_again_after_the_next_sweep(world):
    # Marked running a moment ago by a worker that is gone: nobody holds its render lock, so the sweep does
    # not wait for a time limit to pass (tests/documents/test_worker_killed.py kills a real worker).
    document = Document.objects.create(
        kind="draft",
        territory=world.project.territory,
        project=world.project,
        deliverable=world.cadrage,
        title="Note de cadrage",
        source_html=world.cadrage.project.title.join(["<html lang='fr'><title>", "</title><p>x</p></html>"]),
        content_hash="f" * 64,
        status=DocumentStatus.RUNNING,
        started_at=timezone.now(),
        attempts=1,
    )
    with _worker():
        assert document.pk in services.documents_sweep()
        document = _wait_until_finished(document)
    assert document.status == DocumentStatus.READY, document.error
    assert document.attempts == 2
