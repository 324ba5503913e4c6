"""Queuing, sending and sweeping the e-mails of the platform (the only way an e-mail leaves it).

The guarantee. An e-mail is a row written in the transaction of the action that causes it: it exists if and
only if the action committed. Once the transaction commits, its id goes to a worker; if the broker is
unreachable the request still succeeds and the row waits for the sweep (every minute, run by Celery beat),
which also brings back the rows whose task was lost with a worker. `email_send` locks the row
(`SELECT … FOR UPDATE SKIP LOCKED`), renders it, hands it to the SMTP server and marks it sent in that same
transaction, so two workers given the same row (a task delivered twice, a sweep racing the first delivery)
never both send it, and a failed attempt leaves it pending until its next attempt, later and later
(1, 2, 4 … 60 minutes, for about a day) before it is marked failed.

Delivery is therefore at least once, and exactly once except in one window: if the worker or its database
connection dies after the SMTP server accepted the message but before the commit that marks it sent (a few
milliseconds), the row is still pending and the message is sent again. SMTP cannot take a message back; the
copy carries the same Message-ID, by which mail servers and clients recognise it.
"""

import logging
from datetime import timedelta
from email.utils import parseaddr
from functools import partial

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone, translation

from core.queue import enqueue

from . import registry
from .models import EmailStatus, OutgoingEmail

logger = logging.getLogger(__name__)

# 1, 2, 4 … minutes, then every hour: 30 attempts span about a day of SMTP outage.
MAX_ATTEMPTS = 30
MAX_BACKOFF = timedelta(hours=1)
# How many ids one task carries, and how many rows one sweep hands over (the next sweep takes the rest).
TASK_BATCH = 50
SWEEP_BATCH = 1000


def _grace() -> timedelta:
    return timedelta(seconds=settings.EMAIL_PENDING_GRACE_SECONDS)


def backoff(attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th failed attempt."""
    return min(timedelta(minutes=2 ** (max(attempts, 1) - 1)), MAX_BACKOFF)


def _enqueue(email_ids: list[int]) -> None:
    from .tasks import send_emails

    for start in range(0, len(email_ids), TASK_BATCH):
        enqueue(send_emails, email_ids[start : start + TASK_BATCH])


def emails_queue(emails: list[OutgoingEmail]) -> list[OutgoingEmail]:
    """Queue e-mails in the current transaction: they leave once it commits, never if it rolls back."""
    emails = list(emails)
    if not emails:
        return []
    due = timezone.now() + _grace()
    for email in emails:
        registry.check(email.kind)
        email.due_at = due
        # Rendered by a worker: in the platform's language unless the caller knows the reader's.
        email.language = email.language or settings.LANGUAGE_CODE
    created = OutgoingEmail.objects.bulk_create(emails)
    transaction.on_commit(partial(_enqueue, [email.pk for email in created]), robust=True)
    return created


def email_queue(*, kind: str, to: str, object_id=None, params=None, language: str = "") -> OutgoingEmail:
    """Queue one e-mail that the renderer registered for `kind` writes when it leaves."""
    [email] = emails_queue(
        [OutgoingEmail(kind=kind, to=to, object_id=object_id, params=params or {}, language=language)]
    )
    return email


def email_queue_rendered(
    *, to: str, subject: str, text: str, html: str = "", language: str = ""
) -> OutgoingEmail:
    """Queue a message already written (allauth's, whose one-time key only the request knows)."""
    [email] = emails_queue(
        [
            OutgoingEmail(
                kind=registry.RENDERED,
                to=to,
                subject=subject[:300],
                text=text,
                html=html,
                language=language or translation.get_language() or settings.LANGUAGE_CODE,
            )
        ]
    )
    return email


def _message_id(email: OutgoingEmail) -> str:
    # The same for every attempt at the same row: a copy sent again is recognisably the same message.
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"
    return f"<outbox.{email.pk}.{int(email.created_at.timestamp())}@{domain}>"


def _deliver(email: OutgoingEmail, message: registry.Message) -> None:
    outgoing = EmailMultiAlternatives(
        subject=settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + " ".join(message.subject.split()),
        body=message.text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=message.to,
        reply_to=message.reply_to or None,
        # Auto-Submitted (RFC 3834): out-of-office robots do not answer a platform's e-mail.
        headers={"Message-ID": _message_id(email), "Auto-Submitted": "auto-generated"},
    )
    if message.html:
        outgoing.attach_alternative(message.html, "text/html")
    outgoing.send()


def _erase_body(email: OutgoingEmail) -> None:
    if email.kind == registry.RENDERED:
        email.text = email.html = ""


def email_send(*, email_id: int) -> str | None:
    """Send one pending e-mail; returns its new status, or None when there was nothing to do (already sent
    or cancelled, or being sent by another worker at this very moment)."""
    with transaction.atomic():
        email = (
            OutgoingEmail.objects.select_for_update(skip_locked=True)
            .filter(pk=email_id, status=EmailStatus.PENDING)
            .first()
        )
        if email is None:
            return None
        try:
            with transaction.atomic(), translation.override(email.language or settings.LANGUAGE_CODE):
                message = registry.render(email)
                if message is not None:
                    _deliver(email, message)
        except Exception as error:
            _record_failure(email, error)
            return email.status
        if message is None:
            email.status = EmailStatus.CANCELLED
        else:
            email.status = EmailStatus.SENT
            email.sent_at = timezone.now()
            email.to = message.to[0] if message.to else email.to
        email.attempts += 1
        _erase_body(email)
        email.save(update_fields=["status", "sent_at", "to", "attempts", "text", "html"])
        return email.status


def _record_failure(email: OutgoingEmail, error: Exception) -> None:
    email.attempts += 1
    email.last_error = f"{type(error).__name__}: {error}"[:2000]
    if email.attempts >= MAX_ATTEMPTS:
        email.status = EmailStatus.FAILED
        _erase_body(email)
        logger.error("E-mail %s failed for good after %s attempts", email.pk, email.attempts, exc_info=error)
    else:
        email.due_at = timezone.now() + backoff(email.attempts)
        logger.warning(
            "E-mail %s not sent (attempt %s), next attempt at %s",
            email.pk,
            email.attempts,
            email.due_at,
            exc_info=error,
        )
    email.save(update_fields=["attempts", "last_error", "status", "due_at", "text", "html"])


def emails_sweep(*, now=None) -> list[int]:
    """Hand to a worker the pending e-mails whose time has come: queued while the broker was down, whose task
    was lost with a worker, or waiting for their next attempt. Rows being sent right now are skipped. Also
    forgets what was dealt with long ago."""
    now = now or timezone.now()
    with transaction.atomic():
        due = list(
            OutgoingEmail.objects.select_for_update(skip_locked=True)
            .filter(status=EmailStatus.PENDING, due_at__lte=now)
            .order_by("due_at", "pk")
            .values_list("pk", flat=True)[:SWEEP_BATCH]
        )
        # Not handed over again by the next sweep, unless still pending a grace period from now.
        OutgoingEmail.objects.filter(pk__in=due).update(due_at=now + _grace())
    _enqueue(due)
    OutgoingEmail.objects.exclude(status=EmailStatus.PENDING).filter(
        created_at__lt=now - timedelta(days=settings.EMAIL_RETENTION_DAYS)
    ).delete()
    return due


def email_retry(*, email_ids) -> int:
    """An administrator sends failed e-mails again (from the admin), from a fresh count of attempts."""
    ids = list(
        OutgoingEmail.objects.filter(pk__in=email_ids, status=EmailStatus.FAILED)
        .exclude(kind=registry.RENDERED)
        .values_list("pk", flat=True)
    )
    OutgoingEmail.objects.filter(pk__in=ids).update(
        status=EmailStatus.PENDING, attempts=0, due_at=timezone.now() + _grace()
    )
    transaction.on_commit(partial(_enqueue, ids), robust=True)
    return len(ids)
