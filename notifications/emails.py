"""The e-mails of notifications: one per notification for those who want them at once, one daily digest for
the others. Both mark what they carried (`emailed_at`), so a retried task or a second run sends nothing
twice."""

from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Case, CharField, OuterRef, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from . import kinds
from .models import Frequency, Notification, NotificationPreference

# "The last day", with a margin: a digest run a few minutes later than the day before still finds what was
# created just after that run. What an e-mail already carried is skipped, so the overlap sends nothing twice.
DIGEST_LOOKBACK = timedelta(hours=26)


def _context(recipient, **extra):
    return {
        "recipient": recipient,
        "site_url": settings.SITE_URL,
        "preferences_url": settings.SITE_URL + reverse("notifications:preferences"),
        **extra,
    }


def _send(recipient, subject: str, body: str) -> None:
    EmailMessage(
        settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject,
        body,
        settings.DEFAULT_FROM_EMAIL,
        [recipient.email],
    ).send()


def _locked(notifications):
    # Two workers given the same ids (a redelivered task) must not both send: the second one skips the rows
    # the first holds, and finds them e-mailed once it may look.
    return notifications.select_for_update(skip_locked=True, of=("self",)).filter(
        emailed_at__isnull=True, recipient__is_active=True
    )


def send_immediate(notification_ids) -> None:
    """One e-mail per notification not e-mailed yet, each marked as soon as it has left: if sending fails
    half-way, the retry sends only the rest."""
    for pk in notification_ids:
        with transaction.atomic():
            notification = _locked(Notification.objects.filter(pk=pk)).select_related("recipient", "actor")
            notification = notification.first()
            if notification is None:
                continue
            with translation.override(settings.LANGUAGE_CODE):
                context = _context(
                    notification.recipient,
                    notification=notification,
                    url=settings.SITE_URL + notification.url,
                )
                subject = render_to_string("notifications/email/immediate_subject.txt", context)
                body = render_to_string("notifications/email/immediate.txt", context)
            _send(notification.recipient, " ".join(subject.split()), body)
            Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())


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


def send_digests(now=None) -> int:
    """One e-mail per person gathering what they chose to read in a digest; returns how many left."""
    now = now or timezone.now()
    recipients = (
        _digest_candidates(now - DIGEST_LOOKBACK).order_by().values_list("recipient_id", flat=True).distinct()
    )
    sent = 0
    for recipient_id in recipients:
        # One transaction per person: the digests sent before a failure stay marked; the retry sends the rest.
        with transaction.atomic():
            notifications = list(
                _locked(_digest_candidates(now - DIGEST_LOOKBACK).filter(recipient_id=recipient_id))
                .select_related("recipient", "actor")
                .order_by("created_at", "id")
            )
            if not notifications:
                continue
            recipient = notifications[0].recipient
            with translation.override(settings.LANGUAGE_CODE):
                context = _context(
                    recipient,
                    notifications=[(n, settings.SITE_URL + n.url) for n in notifications],
                    count=len(notifications),
                    list_url=settings.SITE_URL + reverse("notifications:list"),
                )
                subject = render_to_string("notifications/email/digest_subject.txt", context)
                body = render_to_string("notifications/email/digest.txt", context)
            _send(recipient, " ".join(subject.split()), body)
            Notification.objects.filter(pk__in=[n.pk for n in notifications]).update(
                emailed_at=timezone.now()
            )
            sent += 1
    return sent
