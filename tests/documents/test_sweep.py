"""The sweep of PDF documents: pending ones after their grace period, and running ones as soon as their
worker is gone (nobody holds their render lock), never one a live worker is rendering. Two real database
connections: the test's and a "worker's"."""

import threading
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from documents import services
from documents.models import Document, DocumentStatus

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def enqueued(monkeypatch):
    handed = []
    monkeypatch.setattr(services, "_enqueue", handed.append)
    return handed


def _document(world, status, n, **fields):
    return Document.objects.create(
        kind="draft",
        territory=world.territory,
        project=world.project,
        deliverable=world.cadrage,
        title="Note de cadrage",
        source_html="<html lang='fr'><title>x</title><p>x</p></html>",
        content_hash=f"{n}" * 64,
        status=status,
        **fields,
    )


def test_a_running_document_whose_worker_is_gone_is_swept_at_once_but_not_one_being_rendered(world, enqueued):
    orphan = _document(world, DocumentStatus.RUNNING, 1, started_at=timezone.now())
    rendering = _document(world, DocumentStatus.RUNNING, 2, started_at=timezone.now() - timedelta(hours=1))
    holding = threading.Event()
    done = threading.Event()

    def live_worker():
        # Another worker, alive, holding the render lock of `rendering` on its own connection.
        try:
            assert services._try_render_lock(rendering.pk)
            holding.set()
            done.wait(20)
        finally:
            connection.close()

    worker = threading.Thread(target=live_worker)
    worker.start()
    try:
        assert holding.wait(20)
        assert services.documents_sweep() == [orphan.pk]
        # The live worker's document is not even handed over by a worker rendering it elsewhere.
        assert services.document_render(document_id=rendering.pk) is None
    finally:
        done.set()
        worker.join(20)

    assert enqueued == [orphan.pk]
    orphan.refresh_from_db()
    rendering.refresh_from_db()
    assert orphan.status == DocumentStatus.PENDING
    assert rendering.status == DocumentStatus.RUNNING
    # Once that worker is gone too, its document is swept.
    assert services.documents_sweep() == [rendering.pk]


def test_a_pending_document_is_swept_after_its_grace_period(world, enqueued):
    document = _document(world, DocumentStatus.PENDING, 3, enqueued_at=timezone.now())
    assert services.documents_sweep() == []
    later = timezone.now() + timedelta(seconds=settings.DOCUMENT_PENDING_GRACE_SECONDS + 1)
    assert services.documents_sweep(now=later) == [document.pk]
    assert enqueued == [document.pk]


def test_beat_sweeps_the_documents_every_minute_and_a_starting_worker_does_too():
    from fabrique import celery

    assert settings.CELERY_BEAT_SCHEDULE["documents-sweep"]["schedule"] == 60.0
    assert "documents.tasks.sweep_documents" in celery.SWEEPS
    assert "outbox.tasks.sweep_emails" in celery.SWEEPS
    assert (
        settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] > settings.DOCUMENT_RENDER_TIME_LIMIT
    )
