from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from . import emails, kinds, messages
from .models import Frequency, Notification, NotificationPreference


def notify(
    *,
    kind: str,
    recipients: Iterable,
    actor,
    url: str,
    message: str = "",
    params: dict | None = None,
    title: str = "",
    excerpt: str = "",
    excerpt_message: str = "",
    excerpt_params: dict | None = None,
) -> list:
    """Tell each recipient (but never the actor) about something, in the platform and by e-mail as each
    prefers. Called by services inside their transaction: the e-mails leave once it commits.

    The sentence is a registered `message` and its `params` (messages.py), shown in each reader's language;
    a bare `title` is kept for sentences that are not registered. The excerpt is either what a person wrote
    (`excerpt`, stored as written) or a registered `excerpt_message` and its `excerpt_params`."""
    default = kinds.get(kind).default_frequency
    params = params or {}
    if message:
        title = messages.french(message, params)
    if not title:
        raise ValueError("A notification has a registered message (or at least a title)")
    excerpt_params = excerpt_params or {}
    if excerpt_message:
        excerpt = messages.french(excerpt_message, excerpt_params)
    if not url.startswith("/") or not url_has_allowed_host_and_scheme(url, allowed_hosts=None):
        # The list of notifications redirects to it: only a path of the platform may be followed.
        raise ValueError(f"A notification's url is a path of the platform (reverse()), not {url!r}")
    people = {user.pk: user for user in recipients if user is not None and user.is_active}
    if actor is not None:
        people.pop(actor.pk, None)
    if not people:
        return []
    chosen = dict(
        NotificationPreference.objects.filter(user_id__in=people, kind=kind).values_list(
            "user_id", "frequency"
        )
    )
    now = timezone.now()
    immediate = {pk for pk in people if chosen.get(pk, default) == Frequency.IMMEDIATE}
    # Atomic even when a caller forgets its own transaction: a notification and its e-mail go together.
    with transaction.atomic():
        notifications = Notification.objects.bulk_create(
            Notification(
                recipient=user,
                kind=kind,
                actor=actor if getattr(actor, "is_authenticated", False) else None,
                message=message,
                params=params,
                title=title[:300],
                excerpt=excerpt[:1000],
                excerpt_message=excerpt_message,
                excerpt_params=excerpt_params,
                url=url,
                # Carried by the e-mail queued below: no digest will carry it again.
                emailed_at=now if user.pk in immediate else None,
            )
            for user in people.values()
        )
        # Written in the outbox in this very transaction, sent once it commits: a broker that is down delays
        # the e-mails (the outbox's sweep sends them) but never fails the action.
        emails.queue_immediate(n for n in notifications if n.recipient_id in immediate)
    return notifications


def frequencies_of(user) -> dict[str, str]:
    """The frequency a person gets for each registered kind: their choice, else the kind's default."""
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "frequency"))
    return {key: chosen.get(key, kind.default_frequency) for key, kind in kinds.KINDS.items()}


def preferences_save(*, actor, frequencies: dict[str, str]) -> None:
    """Record the frequencies a person chose. Only the kinds given are stored: a kind they left as it was
    keeps following its default, should the default change later."""
    for key, frequency in frequencies.items():
        kinds.get(key)
        if frequency not in Frequency.values:
            raise ValueError(f"Unknown frequency {frequency!r}")
    if not frequencies:
        return
    NotificationPreference.objects.bulk_create(
        [NotificationPreference(user=actor, kind=key, frequency=value) for key, value in frequencies.items()],
        update_conflicts=True,
        unique_fields=["user", "kind"],
        update_fields=["frequency"],
    )


def notifications_mark_all_read(*, actor) -> int:
    return Notification.objects.filter(recipient=actor).mark_read()
