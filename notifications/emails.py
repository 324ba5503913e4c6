"""The e-mails of notifications, sent through the outbox: one per notification for those who want them at
once, one daily digest for the others. A notification's `emailed_at` is set when an e-mail carrying it is
queued (the outbox row then says when it left), so no digest ever carries it a second time. Both are written
when they leave, from the notifications as they are then, in the recipient's language."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Case, CharField, OuterRef, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from outbox.compose import compose
from outbox.models import OutgoingEmail
from outbox.services import email_queue, emails_queue

from . import kinds
from .models import Frequency, Notification, NotificationPreference

IMMEDIATE = "notifications.immediate"
DIGEST = "notifications.digest"

# "The last day", with a margin: a digest run a few minutes later than the day before still finds what was
# created just after that run. What an e-mail already carried is skipped, so the overlap sends nothing twice.
DIGEST_LOOKBACK = timedelta(hours=26)


def _context(recipient, **extra):
    return {"recipient": recipient, **extra}


def queue_immediate(notifications) -> None:
    """In the transaction that created them: one e-mail each, leaving once it commits."""
    emails_queue(
        OutgoingEmail(
            kind=IMMEDIATE,
            to=notification.recipient.email,
            object_id=notification.pk,
            language=notification.recipient.reading_language,
        )
        for notification in notifications
    )


def render_immediate(email):
    notification = (
        Notification.objects.filter(pk=email.object_id, recipient__is_active=True)
        .select_related("recipient", "actor")
        .first()
    )
    if notification is None:
        # Deleted with its object, or its recipient deactivated since.
        return None
    context = _context(
        notification.recipient,
        notification=notification,
        action_url=settings.SITE_URL + notification.url,
        action_label=_("Lire sur la plateforme"),
    )
    return compose("notifications/email/immediate", context, to=[notification.recipient.email])


def _digest_candidates(since):
    """Notifications of the period that no e-mail carried and whose recipient wants them in the digest:
    their own choice for the kind, else the kind's default (a kind no longer registered is left out)."""
    chosen = NotificationPreference.objects.filter(user=OuterRef("recipient"), kind=OuterRef("kind")).values(
        "frequency"
    )[:1]
    default = Case(
        *[When(kind=kind.key, then=Value(kind.default_frequency)) for kind in kinds.KINDS.values()],
        default=Value(None),
        output_field=CharField(),
    )
    return (
        Notification.objects.filter(created_at__gte=since, emailed_at__isnull=True, recipient__is_active=True)
        .annotate(frequency=Coalesce(Subquery(chosen), default))
        .filter(frequency=Frequency.DIGEST)
    )


def queue_digests(now=None) -> int:
    """One e-mail per person gathering what they chose to read in a digest; returns how many were queued."""
    now = now or timezone.now()
    since = now - DIGEST_LOOKBACK
    recipients = _digest_candidates(since).order_by().values_list("recipient_id", flat=True).distinct()
    queued = 0
    for recipient_id in recipients:
        with transaction.atomic():
            # Two runs at once (a task delivered twice) must not both take the same notifications: the second
            # skips the rows the first holds, and finds them carried once it may look.
            notifications = list(
                _digest_candidates(since)
                .filter(recipient_id=recipient_id)
                .select_for_update(skip_locked=True, of=("self",))
                .select_related("recipient")
                .order_by("created_at", "id")
            )
            if not notifications:
                continue
            ids = [n.pk for n in notifications]
            email_queue(
                kind=DIGEST,
                to=notifications[0].recipient.email,
                object_id=recipient_id,
                params={"notifications": ids},
                language=notifications[0].recipient.reading_language,
            )
            Notification.objects.filter(pk__in=ids).update(emailed_at=timezone.now())
            queued += 1
    return queued


def render_digest(email):
    notifications = list(
        Notification.objects.filter(
            pk__in=email.params.get("notifications", []),
            recipient_id=email.object_id,
            recipient__is_active=True,
        )
        .select_related("recipient", "actor")
        .order_by("created_at", "id")
    )
    if not notifications:
        return None
    recipient = notifications[0].recipient
    context = _context(
        recipient,
        notifications=[(n, settings.SITE_URL + n.url) for n in notifications],
        count=len(notifications),
        action_url=settings.SITE_URL + reverse("notifications:list"),
        action_label=_("Toutes vos notifications"),
    )
    return compose("notifications/email/digest", context, to=[recipient.email])
