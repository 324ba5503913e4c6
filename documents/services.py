"""Requesting, rendering and sweeping documents (PDF, ODT, DOCX).

A request never waits for WeasyPrint: it stores the HTML, hashed, and hands the id to a worker once the
transaction commits. If the broker is unreachable the request still succeeds and the document stays pending;
the periodic sweep hands pending and stalled documents to a worker again. The file is written completely
before the record points at it, so a worker killed mid-render leaves nothing half-written in use.
"""

from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from core.audit import audit
from core.errors import DomainError
from core.queue import enqueue
from projects.services import snapshot_content

from . import office, rendering
from .models import Document, DocumentKind, DocumentStatus, Variant


def _enqueue(document_id: int) -> None:
    from .tasks import render_document

    # Without the broker the request still succeeds; the sweep re-enqueues the pending document.
    enqueue(render_document, document_id)


def _request(
    *,
    actor,
    kind,
    territory,
    html,
    title,
    variant,
    project=None,
    deliverable=None,
    version=None,
    audience=None,
) -> Document:
    if variant not in Variant.values:
        raise DomainError("Ce format de document n'existe pas.")
    digest = rendering.content_hash(html, variant)
    with transaction.atomic():
        document = Document.objects.select_for_update().filter(content_hash=digest, variant=variant).first()
        if document is None:
            try:
                with transaction.atomic():
                    document = Document.objects.create(
                        kind=kind,
                        variant=variant,
                        territory=territory,
                        project=project,
                        audience=audience or {},
                        deliverable=deliverable,
                        version=version,
                        title=title[:300],
                        source_html=html,
                        content_hash=digest,
                        requested_by=actor if getattr(actor, "is_authenticated", False) else None,
                        enqueued_at=timezone.now(),
                    )
            except IntegrityError:
                # The same content requested at the same instant by someone else: theirs is ours.
                return Document.objects.get(content_hash=digest, variant=variant)
        elif document.status == DocumentStatus.FAILED:
            document.status = DocumentStatus.PENDING
            document.error = ""
            document.enqueued_at = timezone.now()
            document.save(update_fields=["status", "error", "enqueued_at"])
        else:
            return document
        audit(
            actor=actor,
            action="document.request",
            target=project or territory,
            document=document.pk,
            kind=kind,
            variant=variant,
        )
        document_id = document.pk
        transaction.on_commit(lambda: _enqueue(document_id))
    return document


def document_request_note(*, actor, deliverable, version=None, variant=Variant.ACCESSIBLE) -> Document:
    """A submitted version as it was frozen, or, without a version, the current draft (watermarked)."""
    if version is not None and version.deliverable_id != deliverable.pk:
        raise DomainError("Cette version n'appartient pas à ce livrable.")
    content = version.content if version is not None else snapshot_content(deliverable)
    html = rendering.note_html(
        deliverable=deliverable, content=content, version=version, is_draft=version is None
    )
    return _request(
        actor=actor,
        kind=DocumentKind.VERSION if version is not None else DocumentKind.DRAFT,
        territory=deliverable.project.territory,
        project=deliverable.project,
        deliverable=deliverable,
        version=version,
        html=html,
        title=rendering._note_title(deliverable, version, version is None),
        variant=variant,
    )


def document_request_dossier(*, actor, project, variant=Variant.ACCESSIBLE) -> Document:
    html = rendering.dossier_html(project=project, notes=rendering.dossier_notes(project))
    return _request(
        actor=actor,
        kind=DocumentKind.DOSSIER,
        territory=project.territory,
        project=project,
        html=html,
        title=f"Dossier du projet — {project.title}",
        variant=variant,
    )


def document_request_synthesis(*, actor, territory, html, title, variant, audience: dict) -> Document:
    """A territory's synthesis, whose HTML the `reports` app built for what this reader may see; the audience
    records it, and the access rule `reports` registers reads it back at each download."""
    return _request(
        actor=actor,
        kind=DocumentKind.SYNTHESIS,
        territory=territory,
        html=html,
        title=title,
        variant=variant,
        audience=audience,
    )


def _file_name(document: Document) -> str:
    variant = document.variant.replace("/", "").replace("-", "")
    return f"{document.content_hash}-{variant}.{document.format.extension}"


def _render(document: Document) -> rendering.Rendered:
    """The document's HTML in its format: WeasyPrint for a PDF, the office writers for ODT and DOCX."""
    if document.format.is_pdf:
        return rendering.render_pdf(
            document.source_html, variant=document.variant, identifier=document.content_hash[:32]
        )
    render = office.render_odt if document.variant == Variant.ODT else office.render_docx
    written = render(document.source_html)
    return rendering.Rendered(data=written.data, page_count=None, render_ms=written.render_ms)


# A PostgreSQL advisory lock per document, held by the worker for the whole render: PostgreSQL releases it
# the moment that worker's connection drops (the process was killed, the machine lost), so the sweep knows a
# document is orphaned as soon as it looks, instead of waiting for a time limit to pass.
_RENDER_LOCK_BASE = 0x646F63 << 32  # "doc", clear of any other advisory lock key


def _render_lock_key(document_id: int) -> int:
    return _RENDER_LOCK_BASE + document_id


def _try_render_lock(document_id: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [_render_lock_key(document_id)])
        return cursor.fetchone()[0]


def _release_render_lock(document_id: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_unlock(%s)", [_render_lock_key(document_id)])


def document_render(*, document_id: int) -> Document | None:
    """Render one document; a document already being rendered by another worker, or already ready, is left
    alone. Exceptions propagate to the task, which retries."""
    if not _try_render_lock(document_id):
        return None  # another worker is rendering it right now
    try:
        with transaction.atomic():
            document = Document.objects.select_for_update(skip_locked=True).filter(pk=document_id).first()
            if document is None or document.status == DocumentStatus.READY:
                return document
            document.status = DocumentStatus.RUNNING
            document.started_at = timezone.now()
            document.attempts += 1
            document.save(update_fields=["status", "started_at", "attempts"])
        rendered = _render(document)
        # Written in full under a fresh name before the record points at it.
        document.file.save(_file_name(document), ContentFile(rendered.data), save=False)
        with transaction.atomic():
            Document.objects.filter(pk=document.pk).update(
                file=document.file.name,
                size=len(rendered.data),
                page_count=rendered.page_count,
                render_ms=rendered.render_ms,
                status=DocumentStatus.READY,
                error="",
                finished_at=timezone.now(),
            )
    finally:
        _release_render_lock(document_id)
    document.refresh_from_db()
    return document


def document_record_failure(*, document_id: int, error: str, final: bool) -> None:
    """A failed attempt: the error is kept; the document waits for its retry, or fails for good."""
    Document.objects.filter(pk=document_id).exclude(status=DocumentStatus.READY).update(
        status=DocumentStatus.FAILED if final else DocumentStatus.PENDING,
        error=error[:2000],
        finished_at=timezone.now() if final else None,
        enqueued_at=timezone.now(),
    )


def _orphaned(document_ids) -> list[int]:
    """The documents marked running whose worker is gone: nobody holds their render lock."""
    orphaned = []
    for document_id in document_ids:
        if _try_render_lock(document_id):
            _release_render_lock(document_id)
            orphaned.append(document_id)
    return orphaned


def documents_sweep(*, now=None) -> list[int]:
    """Hand to a worker again the documents left pending (the broker was down, or their task was lost) and
    those marked running whose worker died (nobody holds their render lock: found at once, not after a time
    limit). Run every minute by beat and whenever a worker starts."""
    now = now or timezone.now()
    pending_since = now - timedelta(seconds=settings.DOCUMENT_PENDING_GRACE_SECONDS)
    with transaction.atomic():
        pending = list(
            Document.objects.select_for_update(skip_locked=True)
            .filter(status=DocumentStatus.PENDING, enqueued_at__lt=pending_since)
            .values_list("pk", flat=True)
        )
        running = _orphaned(
            Document.objects.select_for_update(skip_locked=True)
            .filter(status=DocumentStatus.RUNNING)
            .values_list("pk", flat=True)
        )
        Document.objects.filter(pk__in=pending).update(enqueued_at=now)
        # Only if still running: one that became ready between the two reads is left alone.
        running = list(
            Document.objects.filter(pk__in=running, status=DocumentStatus.RUNNING).values_list(
                "pk", flat=True
            )
        )
        Document.objects.filter(pk__in=running).update(status=DocumentStatus.PENDING, enqueued_at=now)
    stalled = pending + running
    for document_id in stalled:
        _enqueue(document_id)
    return stalled
