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
        # « %(of_name)s » is written from the parameter « name ».
        name = re.sub(r"^(of|to|the)_", "", name)
        choices = message.choices.get(name)
        if name in message.dates:
            params[name] = "2027-03-01"
        else:
            params[name] = choices.values[0] if choices else f"valeur-{name}"
    french = messages.french(key, params)
    with translation.override("en"):
        english = messages.render(key, params)
    assert english and english != french, f"{key} has no English sentence"
    assert messages.french(key, message.parse(french)) == french


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


def test_a_date_parameter_is_written_as_a_long_date_of_the_readers_language():
    params = {"date": "2027-03-01"}
    assert messages.french("alliance.charter_deadline", params) == "À signer avant le 1er mars 2027."
    with translation.override("en"):
        assert messages.render("alliance.charter_deadline", params) == "To be signed before 1 March 2027."
    # An old French date without « er » reads back too.
    assert messages.MESSAGES["alliance.charter_deadline"].parse("À signer avant le 1 mars 2027.") == params
    assert messages.MESSAGES["alliance.charter_deadline"].parse("À signer avant le 31 février 2027.") is None


def test_the_excerpt_the_platform_writes_is_shown_in_each_readers_language(world):
    # The world opened an evaluation session: its participants were invited to rate.
    notification = Notification.objects.filter(
        kind="methods.evaluation_opened", recipient=world.users["dgs"]
    ).latest("pk")
    assert notification.excerpt_message == "methods.evaluation_opened_excerpt"
    assert notification.excerpt.startswith("Donnez votre propre évaluation")  # the French one, kept

    french = _list(world.users["dgs"], "fr")
    english = _list(world.users["dgs"], "en")
    assert "Donnez votre propre évaluation, dimension par dimension" in french
    assert "Give your own evaluation, dimension by dimension, before the deliberation." in english
    assert "Donnez votre propre évaluation" not in english


def test_the_dates_of_a_training_cycle_and_the_charters_deadline_are_written_in_the_readers_language(world):
    agent = world.users["agent"]
    notify(
        kind="trainings.registered",
        recipients=[agent],
        actor=None,
        message="trainings.registered",
        params={"title": "Conduire le changement"},
        excerpt_message="trainings.registered_dates",
        excerpt_params={"start": "2027-03-01", "end": "2027-03-04", "days": 3},
        url="/",
    )
    notify(
        kind="alliance.charter",
        recipients=[agent],
        actor=None,
        message="alliance.charter_published",
        params={"version": 3},
        excerpt_message="alliance.charter_deadline",
        excerpt_params={"date": "2027-06-30"},
        url="/",
    )
    french = _list(agent, "fr")
    english = _list(agent, "en")
    assert "Du 1er mars 2027 au 4 mars 2027, 3 jours." in french
    assert "À signer avant le 30 juin 2027." in french
    assert "From 1 March 2027 to 4 March 2027, 3 days." in english
    assert "To be signed before 30 June 2027." in english
    assert "mars 2027" not in english and "juin 2027" not in english


def test_an_excerpt_quoting_what_a_person_wrote_is_shown_as_written(world):
    notify(
        kind="projects.comment",
        recipients=[world.users["agent"]],
        actor=None,
        title="Nouveau commentaire",
        excerpt="Merci pour cette note, très claire.",
        url="/",
    )
    row = Notification.objects.get(title="Nouveau commentaire")
    assert row.excerpt_message == ""
    with translation.override("en"):
        assert row.shown_excerpt == "Merci pour cette note, très claire."


def test_the_migration_gives_the_old_french_excerpts_their_message_and_parameters(world):
    migration = importlib.import_module("notifications.migrations.0003_excerpt_message")
    agent = world.users["agent"]

    def old(kind, excerpt):
        return Notification.objects.create(recipient=agent, kind=kind, title="…", excerpt=excerpt, url="/")

    deadline = old("alliance.charter", "À signer avant le 30 juin 2027.")
    dates = old("trainings.registered", "Du 1 mars 2027 au 4 mars 2027, 3 jours.")
    invitation = old(
        "methods.evaluation_opened",
        "Donnez votre propre évaluation, dimension par dimension, avant la délibération.",
    )
    # A person's words are never taken for a message, even one that looks like it.
    quoted = old("projects.comment", "À signer avant le 30 juin 2027.")

    migration.from_sentences(apps, None)
    for row in (deadline, dates, invitation, quoted):
        row.refresh_from_db()

    assert (deadline.excerpt_message, deadline.excerpt_params) == (
        "alliance.charter_deadline",
        {"date": "2027-06-30"},
    )
    assert (dates.excerpt_message, dates.excerpt_params) == (
        "trainings.registered_dates",
        {"start": "2027-03-01", "end": "2027-03-04", "days": "3"},
    )
    assert invitation.excerpt_message == "methods.evaluation_opened_excerpt"
    assert quoted.excerpt_message == ""
    with translation.override("en"):
        assert deadline.shown_excerpt == "To be signed before 30 June 2027."
        assert quoted.shown_excerpt == "À signer avant le 30 juin 2027."
