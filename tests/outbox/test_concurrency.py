"""Two workers given the same e-mail at the same moment (a task delivered twice, the sweep racing the first
delivery): the row lock lets only one send it. Real transactions and two database connections."""

import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.db import connection
from django.utils import timezone

from outbox import services
from outbox.models import EmailStatus

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_an_email_being_sent_is_skipped_by_a_second_worker_and_by_the_sweep(greeting, monkeypatch):
    # Queued without a broker: the two "workers" below are the only ones to try it.
    monkeypatch.setattr(services, "_enqueue", lambda ids: None)
    email = services.email_queue(kind=greeting.kind, to="claire@exemple.fr")
    real_send = EmailMultiAlternatives.send
    in_smtp = threading.Event()
    release = threading.Event()

    def slow_send(message, *args, **kwargs):
        in_smtp.set()
        assert release.wait(10)
        return real_send(message, *args, **kwargs)

    monkeypatch.setattr(EmailMultiAlternatives, "send", slow_send)
    results = []

    def first_worker():
        try:
            results.append(services.email_send(email_id=email.pk))
        finally:
            connection.close()

    worker = threading.Thread(target=first_worker)
    worker.start()
    try:
        assert in_smtp.wait(10)
        # The first worker holds the row while the SMTP server answers.
        assert services.email_send(email_id=email.pk) is None
        assert services.emails_sweep(now=timezone.now() + timedelta(hours=1)) == []
    finally:
        release.set()
        worker.join(10)

    assert results == [EmailStatus.SENT]
    assert len(mail.outbox) == 1
    assert services.email_send(email_id=email.pk) is None
    assert len(mail.outbox) == 1
