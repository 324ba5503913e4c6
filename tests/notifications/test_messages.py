"""Notifications store a message and its parameters, not a sentence: the list shows each one in the reader's
language, labels of the platform (a kind of deliverable, a decision) translated too; the rows stored as
French sentences before were given their message and parameters by the migration."""

import importlib
import re

import pytest
from django.apps import apps
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from notifications import messages
from notifications.models import Notification
from notifications.services import notify

pytestmark = pytest.mark.django_db


def _list(user, language):
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client.get(reverse("notifications:list")).content.decode()


def test_a_submission_is_stored_as_a_message_and_shown_in_each_readers_language(world):
    notification = Notification.objects.filter(kind="projects.submitted").order_by("-pk").first()
    # The world submitted notes: the facilitator was told.
    assert notification.message == "projects.submitted"
    assert notification.params["deliverable"] in ("intention", "cadrage")
    assert notification.title.endswith(notification.params["project"])
    assert notification.title.startswith("Note d")  # the French sentence, kept for the e-mails

    facilitator = world.users["facilitator"]
    french = _list(facilitator, "fr")
    english = _list(facilitator, "en")
    project = notification.params["project"]
    assert f"soumise : {project}" in french
    assert f"submitted: {project}" in english
    assert f"soumise : {project}" not in english


def test_a_decision_label_is_translated_at_display_time(world):
    notify(
        kind="cooperation.answered",
        recipients=[world.users["agent"]],
        actor=None,
        message="cooperation.answered",
        params={"title": "Un séminaire annuel", "decision": "adopted"},
        url="/",
    )
    notification = Notification.objects.get(message="cooperation.answered")
    with translation.override("en"):
        assert "Adopted" in notification.text or "adopted" in notification.text.lower()
        assert "Retenue" not in notification.text
    with translation.override("fr"):
        assert notification.text == "Les élu·es ont répondu à « Un séminaire annuel » : Retenue"


@pytest.mark.parametrize("key", sorted(messages.MESSAGES))
def test_every_message_renders_in_both_languages_and_its_french_form_parses_back(key):
    message = messages.MESSAGES[key]
    params = {}
    for name in re.findall(r"%\((\w+)\)s", str(message.template)):
        choices = message.choices.get(name)
        params[name] = choices.values[0] if choices else f"valeur-{name}"
    french = messages.french(key, params)
    with translation.override("en"):
        english = messages.render(key, params)
    assert english and english != french, f"{key} has no English sentence"
    assert message.parse(french) == {k: str(v) for k, v in params.items()}


def test_a_message_no_longer_registered_shows_its_stored_sentence(world):
    row = Notification.objects.create(
        recipient=world.users["agent"],
        kind="projects.comment",
        message="gone.away",
        title="Ancienne phrase",
        url="/",
    )
    assert row.text == "Ancienne phrase"


def test_the_migration_gives_old_sentences_their_message_and_parameters(world):
    migration = importlib.import_module("notifications.migrations.0002_message_and_params")
    old = Notification.objects.create(
        recipient=world.users["agent"],
        kind="projects.reviewed",
        title="Note de cadrage validée : Un tiers-lieu",
        url="/",
    )
    odd = Notification.objects.create(
        recipient=world.users["agent"], kind="projects.reviewed", title="Une phrase inconnue", url="/"
    )
    migration.from_sentences(apps, None)
    old.refresh_from_db()
    odd.refresh_from_db()
    assert (old.message, old.params) == (
        "projects.validated",
        {"deliverable": "cadrage", "project": "Un tiers-lieu"},
    )
    with translation.override("en"):
        assert old.text.startswith("Scoping note") or "Un tiers-lieu" in old.text
        assert "validée" not in old.text
    assert (odd.message, odd.text) == ("", "Une phrase inconnue")


def test_the_service_refuses_a_notification_without_a_sentence(world):
    with pytest.raises(ValueError):
        notify(kind="projects.comment", recipients=[world.users["agent"]], actor=None, url="/")
