"""The broker down (a closed port): every action that e-mails someone still succeeds through its view, its
e-mails wait in the outbox, and once the broker is back the sweep and a real worker send each of them exactly
once. Needs REDIS_URL, like tests/test_celery_worker.py; the worker runs in this process (solo pool, in a
thread), so the locmem mail backend's outbox is shared."""

import logging
import time
from collections import Counter
from datetime import timedelta

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from accounts.models import ActorFamily
from core.tasks import ping
from fabrique.celery import app
from outbox import services, tasks
from outbox.models import EmailStatus, OutgoingEmail
from tests.test_celery_worker import celery_configured, real_broker, redis_url  # noqa: F401 - fixtures

pytestmark = [
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("real_broker"),
]

CLOSED = "redis://127.0.0.1:1/0"


def _deliverable_url(name, deliverable):
    return reverse(name, kwargs={"pk": deliverable.project_id, "kind": deliverable.kind})


def _actions(world):
    """Each action that e-mails someone, as a person does it through the platform's pages: (what, who,
    url, data, an address that must receive an e-mail)."""
    users = world.users
    return [
        (
            "a reply to a comment",
            "agent",
            _deliverable_url("projects:comment_add", world.cadrage),
            {"body": "Nous ajoutons les élus au groupe.", "parent": world.comment.pk},
            users["facilitator"].email,
        ),
        (
            "a review decision",
            "facilitator",
            _deliverable_url("projects:review", world.cadrage),
            {"decision": "request_changes", "message": "Précisez les objectifs.", "version": 1},
            users["dgs"].email,
        ),
        (
            "a submission",
            "agent",
            _deliverable_url("projects:submit", world.cadrage),
            {},
            users["facilitator"].email,
        ),
        (
            "a reopening",
            "facilitator",
            _deliverable_url("projects:reopen", world.intention),
            {"reason": "Le diagnostic a changé."},
            users["agent"].email,
        ),
        (
            "an invitation to a territory's team",
            "agent",
            reverse("territories:invite", args=[world.territory.pk]),
            {"email": "paul.durand@exemple.fr", "role": "partenaire"},
            "paul.durand@exemple.fr",
        ),
        (
            "a decision on an application to the alliance",
            "admin",
            reverse("alliance:membership_decide", args=[world.candidate_membership.pk]),
            {"decision": "accept"},
            users["dgs"].email,
        ),
        (
            "a reply in a peer group",
            "facilitator",
            reverse("cooperation:thread_detail", args=[world.agents_group.pk, world.group_thread.pk]),
            {"body": "Bonne idée @Antoine Agent, voici le compte-rendu."},
            users["agent"].email,
        ),
        (
            "a library resource submitted for review",
            "agent",
            reverse("library:submit", args=[world.draft_resource.pk]),
            {},
            users["admin"].email,
        ),
        (
            "a sign-up (the verification e-mail)",
            "anonymous",
            reverse("account_signup"),
            {
                "email": "nadia.nouvelle@exemple.fr",
                "full_name": "Nadia Nouvelle",
                "function": "Chargée de mission PCAET",
                "family": ActorFamily.AGENT,
                "password1": "Une-Transition-Douce-2026",
                "password2": "Une-Transition-Douce-2026",
            },
            "nadia.nouvelle@exemple.fr",
        ),
        (
            "a password reset",
            "anonymous",
            reverse("account_reset_password"),
            {"email": users["elu"].email},
            users["elu"].email,
        ),
    ]


def _wait_for(condition, seconds=90):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def test_with_the_broker_down_each_action_succeeds_and_each_email_leaves_exactly_once_when_it_is_back(
    world, client_for, caplog
):
    # allauth's rate limits (one verification per address every 3 minutes) start afresh.
    cache.clear()
    # Tasks left in the queue by the world's set-up: their e-mails are swept like the others.
    app.control.purge()
    mail.outbox = []
    actions = _actions(world)

    with celery_configured(broker_url=CLOSED), caplog.at_level(logging.WARNING, logger="core.queue"):
        for what, role, url, data, _recipient in actions:
            queued = OutgoingEmail.objects.count()
            started = time.monotonic()
            response = client_for(role).post(url, data)
            assert response.status_code == 302, f"{what}: {response.status_code}"
            assert time.monotonic() - started < 10, f"{what} waited for the broker"
            assert OutgoingEmail.objects.count() > queued, f"{what} queued no e-mail"
    assert "left for the sweep: the broker is unreachable" in caplog.text
    assert mail.outbox == []
    assert not OutgoingEmail.objects.exclude(status=EmailStatus.PENDING).exists()

    # The broker is back, and a worker with it.
    with start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING", shutdown_timeout=30):
        swept = services.emails_sweep(now=timezone.now() + timedelta(minutes=2))
        assert len(swept) == OutgoingEmail.objects.count()
        assert _wait_for(lambda: not OutgoingEmail.objects.filter(status=EmailStatus.PENDING).exists())
        # A second sweep, and the same ids delivered twice more, send nothing again.
        services.emails_sweep(now=timezone.now() + timedelta(days=1))
        tasks.send_emails.delay(swept)
        tasks.send_emails.delay(swept)
        assert ping.delay().get(timeout=60) == "pong"  # one solo worker: the tasks before it are done

    assert set(OutgoingEmail.objects.values_list("status", flat=True)) == {EmailStatus.SENT}
    sent = Counter(message.extra_headers["Message-ID"] for message in mail.outbox)
    assert set(sent.values()) == {1}, "an e-mail left twice"
    assert set(sent) == {services._message_id(email) for email in OutgoingEmail.objects.all()}
    received = {address for message in mail.outbox for address in message.to}
    for what, _role, _url, _data, recipient in actions:
        assert recipient in received, f"nobody received the e-mail of {what}"
