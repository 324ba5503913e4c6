"""The e-mails: immediate ones leave on commit, one per notification and never twice; the daily digest
gathers what each person chose to read once a day; "none" keeps the notification in the platform only.
Both go through the outbox (tests/outbox): a failed e-mail is retried by its sweep."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone

from fabrique.celery import app
from notifications import emails, tasks
from notifications.models import Frequency, Notification
from notifications.services import notify, preferences_save
from outbox import services as outbox
from outbox import tasks as outbox_tasks
from outbox.models import EmailStatus, OutgoingEmail
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _notify(kind, recipients, actor, url, title="La note de cadrage est soumise", excerpt=""):
    return notify(kind=kind, recipients=recipients, actor=actor, title=title, url=url, excerpt=excerpt)


@pytest.fixture
def send_digests(django_capture_on_commit_callbacks):
    """The daily task as beat runs it, its transactions committed: the digests are queued, then sent."""

    def run(now=None):
        with django_capture_on_commit_callbacks(execute=True):
            return emails.queue_digests(now=now)

    return run


def _sweep_later(django_capture_on_commit_callbacks, minutes=90):
    with django_capture_on_commit_callbacks(execute=True):
        return outbox.emails_sweep(now=timezone.now() + timedelta(minutes=minutes))


def _flaky_smtp(monkeypatch, fail_at=2):
    """The SMTP server refuses the `fail_at`-th message, accepts the others."""
    real_send = EmailMultiAlternatives.send
    attempts = []

    def flaky_send(message, *args, **kwargs):
        attempts.append(message.to[0])
        if len(attempts) == fail_at:
            raise ConnectionRefusedError("SMTP down")
        return real_send(message, *args, **kwargs)

    monkeypatch.setattr(EmailMultiAlternatives, "send", flaky_send)
    return attempts


# --- Immediate e-mails -------------------------------------------------------------------------------


def test_an_immediate_email_leaves_only_once_the_transaction_commits(
    users, kind, target_url, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        with transaction.atomic():
            _notify(
                kind,
                [users["facilitator"], users["dgs"]],
                users["agent"],
                target_url,
                excerpt="Parties prenantes : les 5 EPCI.",
            )
            assert mail.outbox == []
        assert mail.outbox == []
    assert len(callbacks) == 1
    callbacks[0]()

    assert sorted(m.to[0] for m in mail.outbox) == [users["dgs"].email, users["facilitator"].email]
    message = next(m for m in mail.outbox if m.to == [users["facilitator"].email])
    assert message.subject == "[La Fabrique des Transitions] La note de cadrage est soumise"
    assert "Bonjour Fanny," in message.body
    assert "De la part d'Antoine Agent" in message.body
    assert "(Livrable soumis)" in message.body
    assert "Parties prenantes : les 5 EPCI." in message.body
    assert f"{settings.SITE_URL}{target_url}\n" in message.body
    assert f"{settings.SITE_URL}/notifications/preferences/" in message.body
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()


def test_a_rolled_back_transaction_leaves_neither_notification_nor_email(
    users, kind, target_url, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        _notify(kind, [users["facilitator"]], users["agent"], target_url)
        transaction.set_rollback(True)
    assert callbacks == []
    assert mail.outbox == []
    assert not Notification.objects.exists()


def test_sending_the_same_immediate_emails_again_sends_nothing_more(
    notify_now, users, kind, target_url, django_capture_on_commit_callbacks
):
    notify_now(kind, [users["facilitator"], users["dgs"]], users["agent"], target_url)
    ids = list(OutgoingEmail.objects.values_list("pk", flat=True))
    assert len(ids) == 2
    assert len(mail.outbox) == 2

    for pk in ids:
        outbox.email_send(email_id=pk)
    outbox_tasks.send_emails.delay(ids)
    _sweep_later(django_capture_on_commit_callbacks)

    assert len(mail.outbox) == 2


def test_a_failed_sending_is_retried_for_the_unsent_emails_only(
    users, kind, target_url, monkeypatch, django_capture_on_commit_callbacks
):
    _flaky_smtp(monkeypatch, fail_at=2)
    with django_capture_on_commit_callbacks(execute=True):
        created = _notify(
            kind, [users["facilitator"], users["dgs"], users["elu"]], users["agent"], target_url
        )
    assert len(mail.outbox) == 2
    failed = OutgoingEmail.objects.get(status=EmailStatus.PENDING)
    assert failed.attempts == 1 and failed.last_error == "ConnectionRefusedError: SMTP down"

    assert _sweep_later(django_capture_on_commit_callbacks) == [failed.pk]

    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        u.email for u in (users["facilitator"], users["dgs"], users["elu"])
    )
    assert not OutgoingEmail.objects.exclude(status=EmailStatus.SENT).exists()
    assert not Notification.objects.filter(pk__in=[n.pk for n in created], emailed_at__isnull=True).exists()


def test_an_email_renders_the_notification_as_it_is_when_it_leaves(
    users, kind, target_url, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        [notification] = _notify(kind, [users["facilitator"]], users["agent"], target_url)
    Notification.objects.filter(pk=notification.pk).update(title="La note de cadrage est validée")
    callbacks[0]()
    [message] = mail.outbox
    assert message.subject.endswith("La note de cadrage est validée")


def test_no_email_for_someone_who_chose_none_but_the_notification_is_shown(
    send_digests, users, kind, target_url, django_capture_on_commit_callbacks
):
    preferences_save(actor=users["facilitator"], frequencies={kind: Frequency.NONE})
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        _notify(kind, [users["facilitator"], users["dgs"]], users["agent"], target_url)

    assert [m.to for m in mail.outbox] == [[users["dgs"].email]]
    assert len(callbacks) == 1
    kept = Notification.objects.get(recipient=users["facilitator"])
    assert kept.is_unread and kept.emailed_at is None

    assert send_digests() == 0
    assert len(mail.outbox) == 1


def test_nobody_wanting_an_immediate_email_enqueues_no_task(
    users, digest_kind, target_url, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        _notify(digest_kind, [users["facilitator"], users["dgs"]], users["agent"], target_url)
    assert callbacks == []
    assert mail.outbox == []
    assert Notification.objects.count() == 2


def test_a_person_deactivated_before_the_email_left_gets_none(
    users, kind, target_url, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _notify(kind, [users["facilitator"]], users["agent"], target_url)
    users["facilitator"].is_active = False
    users["facilitator"].save(update_fields=["is_active"])
    callbacks[0]()
    assert mail.outbox == []
    assert OutgoingEmail.objects.get().status == EmailStatus.CANCELLED


# --- The daily digest --------------------------------------------------------------------------------


def test_the_digest_gathers_a_persons_notifications_in_one_email_and_is_sent_once(
    send_digests, users, kind, digest_kind, target_url, django_capture_on_commit_callbacks
):
    preferences_save(actor=users["facilitator"], frequencies={kind: Frequency.DIGEST})
    with django_capture_on_commit_callbacks(execute=True):
        _notify(
            kind, [users["facilitator"]], users["agent"], target_url, title="La note d'intention est soumise"
        )
        _notify(
            digest_kind,
            [users["facilitator"]],
            users["dgs"],
            target_url,
            title="Dominique DGS vous a mentionnée",
            excerpt="<strong>Qu'en penses-tu</strong> ?",
        )
    assert mail.outbox == []

    assert send_digests() == 1

    [message] = mail.outbox
    assert message.to == [users["facilitator"].email]
    assert message.subject == "[La Fabrique des Transitions] Votre résumé quotidien : 2 notifications"
    assert "Bonjour Fanny," in message.body
    body = message.body
    assert body.index("La note d'intention est soumise") < body.index("Dominique DGS vous a mentionnée")
    assert "Livrable soumis · Antoine Agent" in body
    assert "Commentaire ou mention · Dominique DGS" in body
    assert "Qu'en penses-tu ?" in body and "<strong>" not in body
    assert body.count(f"{settings.SITE_URL}{target_url}\n") == 2
    assert f"{settings.SITE_URL}/notifications/\n" in body
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()

    assert send_digests() == 0
    assert len(mail.outbox) == 1


def test_the_digest_sends_one_email_per_person(send_digests, notify_now, users, digest_kind, target_url):
    notify_now(digest_kind, [users["facilitator"], users["dgs"], users["elu"]], users["agent"], target_url)
    notify_now(digest_kind, [users["facilitator"]], users["agent"], target_url, title="Encore")

    assert send_digests() == 3

    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        u.email for u in (users["facilitator"], users["dgs"], users["elu"])
    )
    facilitator_mail = next(m for m in mail.outbox if m.to == [users["facilitator"].email])
    assert facilitator_mail.subject.endswith("2 notifications")
    elu_mail = next(m for m in mail.outbox if m.to == [users["elu"].email])
    assert elu_mail.subject.endswith("1 notification")


def test_the_digest_follows_each_persons_preference_per_kind_over_the_default(
    send_digests, notify_now, users, digest_kind, target_url
):
    preferences_save(actor=users["dgs"], frequencies={digest_kind: Frequency.IMMEDIATE})
    preferences_save(actor=users["elu"], frequencies={digest_kind: Frequency.NONE})
    notify_now(digest_kind, [users["facilitator"], users["dgs"], users["elu"]], users["agent"], target_url)
    assert [m.to for m in mail.outbox] == [[users["dgs"].email]]  # immediate, at once

    assert send_digests() == 1

    assert [m.to for m in mail.outbox] == [[users["dgs"].email], [users["facilitator"].email]]
    assert Notification.objects.get(recipient=users["elu"]).emailed_at is None


def test_the_digest_leaves_out_notifications_older_than_a_day_and_inactive_people(
    send_digests, notify_now, users, digest_kind, target_url
):
    gone = UserFactory()
    [old] = notify_now(digest_kind, [users["facilitator"]], users["agent"], target_url, title="Ancienne")
    Notification.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=3))
    notify_now(digest_kind, [users["facilitator"], gone], users["agent"], target_url, title="Récente")
    gone.is_active = False
    gone.save(update_fields=["is_active"])

    assert send_digests() == 1

    [message] = mail.outbox
    assert "Récente" in message.body and "Ancienne" not in message.body


def test_a_digest_run_a_little_later_than_the_day_before_misses_nothing(
    send_digests, notify_now, users, digest_kind, target_url
):
    [notification] = notify_now(digest_kind, [users["facilitator"]], users["agent"], target_url)
    yesterday_run = timezone.now()
    Notification.objects.filter(pk=notification.pk).update(created_at=yesterday_run + timedelta(minutes=1))

    assert send_digests(now=yesterday_run + timedelta(days=1, minutes=10)) == 1


def test_the_daily_digest_task_sends_the_digests(
    notify_now, users, digest_kind, target_url, django_capture_on_commit_callbacks
):
    notify_now(digest_kind, [users["facilitator"]], users["agent"], target_url)
    with django_capture_on_commit_callbacks(execute=True):
        tasks.send_daily_digests.delay()
    assert [m.to for m in mail.outbox] == [[users["facilitator"].email]]


def test_celery_beat_sends_the_digest_every_morning_at_seven_paris_time():
    entry = settings.CELERY_BEAT_SCHEDULE["notifications-daily-digest"]
    assert entry["task"] == tasks.send_daily_digests.name
    assert entry["task"] in app.tasks
    assert entry["schedule"].hour == {7} and entry["schedule"].minute == {0}
    assert settings.CELERY_TIMEZONE == "Europe/Paris"


def test_a_digest_that_fails_is_retried_without_sending_twice(
    send_digests, notify_now, users, digest_kind, target_url, monkeypatch, django_capture_on_commit_callbacks
):
    notify_now(digest_kind, [users["facilitator"], users["dgs"], users["elu"]], users["agent"], target_url)
    _flaky_smtp(monkeypatch, fail_at=2)

    assert send_digests() == 3
    assert len(mail.outbox) == 2
    assert send_digests() == 0, "the failed digest waits in the outbox, not in a second digest"

    _sweep_later(django_capture_on_commit_callbacks)

    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        u.email for u in (users["facilitator"], users["dgs"], users["elu"])
    )
