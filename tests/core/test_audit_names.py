"""The journals name each step's object in the reader's language: a deliverable's kind, a membership's
status, the project's own schema are stored as parameters and written at display time; the rows written
before are read back from their stored name."""

import importlib

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.utils import translation

from core.audit import audit, history_of
from core.models import AuditEntry

pytestmark = pytest.mark.django_db

MIGRATION = importlib.import_module("core.migrations.0006_audit_target_params")


def _named(entry, language):
    with translation.override(language):
        return entry.target_name


def test_a_deliverables_step_is_named_in_each_readers_language(world):
    entry = audit(actor=world.users["agent"], action="deliverable.submit", target=world.intention)

    title = world.project.title
    assert _named(entry, "fr") == f"Note d'intention — {title}"
    assert _named(entry, "en") == f"Intention note — {title}"


def test_the_stored_name_is_french_whoever_acts(world):
    with translation.override("en"):
        entry = audit(actor=world.users["admin"], action="membership.accept", target=world.agent_membership)

    name = world.agent_membership.member_name
    assert entry.target_repr == f"{name} (Membre de l'alliance)"
    assert _named(entry, "en") == f"{name} (Member of the alliance)"


def test_the_projects_own_schema_is_not_a_quest_called_schema_du_projet(world):
    entry = audit(actor=world.users["agent"], action="methods.actantial.entry_add", target=world.schema)

    assert (_named(entry, "fr"), _named(entry, "en")) == ("Schéma du projet", "Project model")


def _old_row(target, name):
    """A row as written before its object's name had parameters."""
    return AuditEntry.objects.create(
        action="old.step",
        target_type=ContentType.objects.get_for_model(target),
        target_id=str(target.pk),
        target_repr=name,
    )


def test_old_rows_get_their_parameters_from_their_stored_name_in_french_or_english(world):
    name = world.agent_membership.member_name
    french = _old_row(world.agent_membership, f"{name} (Membre de l'alliance)")
    english = _old_row(world.intention, f"Intention note — {world.project.title}")
    schema = _old_row(world.schema, "Schéma du projet")
    unreadable = _old_row(world.intention, "Une note renommée à la main")

    MIGRATION.from_stored_names(apps, None)

    rows = AuditEntry.objects.in_bulk([french.pk, english.pk, schema.pk, unreadable.pk])
    assert rows[french.pk].target_params == {"member": name, "status": "accepted"}
    assert _named(rows[french.pk], "en") == f"{name} (Member of the alliance)"
    assert _named(rows[english.pk], "fr") == f"Note d'intention — {world.project.title}"
    assert _named(rows[schema.pk], "en") == "Project model"
    assert rows[unreadable.pk].target_params is None
    assert _named(rows[unreadable.pk], "en") == "Une note renommée à la main"


def test_an_object_the_platform_does_not_name_keeps_its_title(world):
    entry = history_of(world.project).filter(action="project.create").get()

    assert entry.target_params is None
    assert _named(entry, "en") == world.project.title
