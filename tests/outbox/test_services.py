"""The outbox (outbox/services.py): every e-mail is a row written with the action, sent once it commits,
never twice, retried later and later when the SMTP server fails, swept when its task was lost."""

from datetime import timedelta
from smtplib import SMTPServerDisconnected

import pytest
from django.conf import settings
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone

from outbox import registry, services, tasks
from outbox.models import EmailStatus, OutgoingEmail

pytestmark = pytest.mark.django_db


def _queue(greeting, to="claire@exemple.fr", **params):
    return services.email_queue(kind=greeting.kind, to=to, params=params)


def _smtp_down(monkeypatch):
    def refuse(message, *args, **kwargs):
        raise SMTPServerDisconnected("Connection unexpectedly closed")

    monkeypatch.setattr(EmailMultiAlternatives, "send", refuse)


def test_an_email_leaves_once_the_transaction_that_queued_it_commits(
    greeting, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            email = _queue(greeting)
            assert mail.outbox == []
        assert mail.outbox == []
    assert len(callbacks) == 1

    [message] = mail.outbox
    assert message.to == ["claire@exemple.fr"]
    assert message.subject == "[La Fabrique des Transitions] Bonjour"
    assert message.from_email == settings.DEFAULT_FROM_EMAIL
    assert message.body == "Bonjour claire@exemple.fr"
    assert message.alternatives[0].mimetype == "text/html"
    assert message.extra_headers["Auto-Submitted"] == "auto-generated"
    assert message.extra_headers["Message-ID"].startswith(f"<outbox.{email.pk}.")
    email.refresh_from_db()
    assert email.status == EmailStatus.SENT
    assert email.sent_at is not None
    assert email.attempts == 1


def test_a_rolled_back_transaction_leaves_no_email(greeting, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        _queue(greeting)
        transaction.set_rollback(True)
    assert callbacks == []
    assert not OutgoingEmail.objects.exists()
    assert mail.outbox == []


def test_an_unregistered_kind_is_refused_when_queued():
    with pytest.raises(registry.UnknownEmailKind, match="register its renderer"):
        services.email_queue(kind="tests.nobody", to="a@exemple.fr")


def test_an_email_is_sent_once_however_many_times_its_task_runs(greeting, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        email = _queue(greeting)
    assert len(mail.outbox) == 1

    assert services.email_send(email_id=email.pk) is None
    tasks.send_emails.delay([email.pk, email.pk])
    services.emails_sweep(now=timezone.now() + timedelta(days=1))

    assert len(mail.outbox) == 1


def test_a_failed_attempt_waits_for_its_next_attempt_then_leaves(
    greeting, monkeypatch, django_capture_on_commit_callbacks
):
    real_send = EmailMultiAlternatives.send
    _smtp_down(monkeypatch)
    with django_capture_on_commit_callbacks(execute=True):
        email = _queue(greeting)
    email.refresh_from_db()
    assert (email.status, email.attempts) == (EmailStatus.PENDING, 1)
    assert email.last_error == "SMTPServerDisconnected: Connection unexpectedly closed"
    assert timedelta(seconds=50) < email.due_at - timezone.now() <= timedelta(minutes=1)

    monkeypatch.setattr(EmailMultiAlternatives, "send", real_send)
    # Not due yet: the sweep leaves it alone.
    assert services.emails_sweep() == []
    assert mail.outbox == []

    assert services.emails_sweep(now=email.due_at) == [email.pk]

    assert [m.to for m in mail.outbox] == [["claire@exemple.fr"]]
    email.refresh_from_db()
    assert (email.status, email.attempts) == (EmailStatus.SENT, 2)


def test_the_delay_between_attempts_doubles_up_to_an_hour():
    assert [services.backoff(n) for n in (1, 2, 3, 4)] == [timedelta(minutes=m) for m in (1, 2, 4, 8)]
    assert services.backoff(7) == timedelta(hours=1)
    assert services.backoff(29) == timedelta(hours=1)
    total = sum((services.backoff(n) for n in range(1, services.MAX_ATTEMPTS)), timedelta())
    assert timedelta(hours=20) < total < timedelta(hours=30), "about a day of SMTP outage is weathered"


def test_after_the_last_attempt_the_email_fails_for_good_and_an_admin_may_send_it_again(
    greeting, monkeypatch, django_capture_on_commit_callbacks
):
    real_send = EmailMultiAlternatives.send
    _smtp_down(monkeypatch)
    with django_capture_on_commit_callbacks(execute=True):
        email = _queue(greeting)
    OutgoingEmail.objects.filter(pk=email.pk).update(attempts=services.MAX_ATTEMPTS - 1)

    assert services.email_send(email_id=email.pk) == EmailStatus.FAILED
    assert services.emails_sweep(now=timezone.now() + timedelta(days=2)) == []

    monkeypatch.setattr(EmailMultiAlternatives, "send", real_send)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.email_retry(email_ids=[email.pk]) == 1
    email.refresh_from_db()
    assert email.status == EmailStatus.SENT
    assert len(mail.outbox) == 1


def test_an_email_with_nothing_left_to_say_is_cancelled(greeting, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        email = _queue(greeting, cancelled=True)
    email.refresh_from_db()
    assert email.status == EmailStatus.CANCELLED
    assert mail.outbox == []


def test_a_renderer_that_fails_is_retried_like_an_smtp_failure(
    greeting, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(email):
        raise KeyError("template variable")

    monkeypatch.setitem(registry._renderers, greeting.kind, broken)
    with django_capture_on_commit_callbacks(execute=True):
        email = _queue(greeting)
    email.refresh_from_db()
    assert (email.status, email.attempts) == (EmailStatus.PENDING, 1)
    assert email.last_error.startswith("KeyError")


def test_a_message_written_at_once_is_stored_and_its_body_erased_once_sent(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        email = services.email_queue_rendered(
            to="claire@exemple.fr",
            subject="Réinitialisation du mot de passe",
            text="Lien : https://exemple.fr/cle-secrete/",
            html="<a href='https://exemple.fr/cle-secrete/'>Lien</a>",
            language="en",
        )
    [message] = mail.outbox
    assert message.subject == "[La Fabrique des Transitions] Réinitialisation du mot de passe"
    assert "cle-secrete" in message.body and "cle-secrete" in message.alternatives[0].content
    email.refresh_from_db()
    assert (email.status, email.language, email.subject) == (
        EmailStatus.SENT,
        "en",
        "Réinitialisation du mot de passe",
    )
    assert email.text == "" and email.html == "", "the one-time key does not stay in the table"


def test_the_sweep_hands_over_what_the_broker_never_got_and_forgets_what_is_old(
    greeting, django_capture_on_commit_callbacks
):
    # Queued while the broker was down: the task never left (the commit callback is not run).
    with django_capture_on_commit_callbacks(execute=False):
        waiting = _queue(greeting, to="a@exemple.fr")
    with django_capture_on_commit_callbacks(execute=True):
        old = _queue(greeting, to="b@exemple.fr")
    OutgoingEmail.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - timedelta(days=settings.EMAIL_RETENTION_DAYS + 1)
    )
    assert services.emails_sweep() == [], "within its grace period the broker may still deliver it"

    assert services.emails_sweep(now=timezone.now() + timedelta(minutes=2)) == [waiting.pk]

    assert sorted(m.to[0] for m in mail.outbox) == ["a@exemple.fr", "b@exemple.fr"]
    assert list(OutgoingEmail.objects.values_list("pk", flat=True)) == [waiting.pk]


def test_beat_sweeps_the_outbox_every_minute():
    from fabrique.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["outbox-sweep"]
    assert entry["task"] == tasks.sweep_emails.name
    assert entry["task"] in app.tasks
    assert entry["schedule"] == 60.0


def test_deleting_an_account_forgets_the_emails_to_its_addresses(
    greeting, django_capture_on_commit_callbacks
):
    from accounts.privacy import account_delete
    from tests.factories import UserFactory

    person = UserFactory(email="claire@exemple.fr")
    with django_capture_on_commit_callbacks(execute=False):
        _queue(greeting, to="Claire@Exemple.fr")
        other = _queue(greeting, to="quelquun@exemple.fr")

    account_delete(user=person)

    assert list(OutgoingEmail.objects.values_list("pk", flat=True)) == [other.pk]
