"""The rules of the cooperation journal: the team writes; the author or the territory's managers change; the
date is not in the future; participants are people of the scope; sharing tells the facilitators."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from accounts.privacy import account_delete
from core.audit import history_of
from core.models import AuditEntry
from methods.access import get_scope_for_user
from methods.models import JournalEntry, JournalPrompt, JournalVisibility
from methods.privacy import export
from methods.services import journal as services
from methods.services.errors import MethodError
from notifications.models import Notification

from ..factories import UserFactory

pytestmark = pytest.mark.django_db


def _project_scope(world, role):
    return get_scope_for_user(world.users[role], project_pk=world.project.pk)


def _territory_scope(world, role):
    return get_scope_for_user(world.users[role], territory_pk=world.territory.pk)


def _write(world, role="agent", *, scope=None, **changes):
    data = {
        "prompt": JournalPrompt.REFLEXIVE_SPACES,
        "happened_on": date(2024, 5, 2),
        "title": "Un atelier entre services",
        "body": "Nous avons parlé de ce qui bloque.",
        "participants": [world.users["agent"]],
        "other_participants": "",
        "visibility": JournalVisibility.TEAM,
        **changes,
    }
    return services.entry_create(actor=world.users[role], scope=scope or _project_scope(world, role), **data)


def _update(world, entry, role="agent", *, scope=None, **changes):
    data = {
        "prompt": entry.prompt,
        "happened_on": entry.happened_on,
        "title": entry.title,
        "body": entry.body,
        "participants": list(entry.participants.all()),
        "other_participants": entry.other_participants,
        "visibility": entry.visibility,
        **changes,
    }
    return services.entry_update(
        actor=world.users[role], scope=scope or _project_scope(world, role), entry=entry, **data
    )


def _journal_notifications():
    return Notification.objects.filter(kind="methods.journal_shared")


# --- Writing -------------------------------------------------------------------------------------------


def test_a_project_s_recit_is_stored_with_its_territory_and_audited(world):
    entry = _write(world, participants=[world.users["agent"], world.users["dgs"]], other_participants=" Léa ")

    assert entry.territory == world.territory and entry.project == world.project
    assert entry.author == world.users["agent"]
    assert set(entry.participants.all()) == {world.users["agent"], world.users["dgs"]}
    assert entry.other_participants == "Léa"
    assert [e.action for e in history_of(entry)] == ["methods.journal.create"]


def test_a_territory_s_recit_has_no_project(world):
    entry = _write(world, scope=_territory_scope(world, "dgs"), role="dgs")

    assert entry.territory == world.territory and entry.project is None


@pytest.mark.parametrize("role", ["agent", "dgs", "elu"])
def test_the_territory_s_team_writes_in_the_project_s_journal(world, role):
    assert _write(world, role).author == world.users[role]


@pytest.mark.parametrize("role", ["facilitator", "admin"])
def test_the_accompaniment_and_the_admins_do_not_write_recits(world, role):
    with pytest.raises(MethodError, match="Seule l'équipe écrit les récits"):
        _write(world, role)
    assert not JournalEntry.objects.filter(title="Un atelier entre services").exists()


def test_a_recit_cannot_be_dated_in_the_future(world):
    tomorrow = timezone.localdate() + timedelta(days=1)

    with pytest.raises(MethodError, match="ne peut pas être dans le futur"):
        _write(world, happened_on=tomorrow)


def test_a_recit_may_tell_what_happened_today(world):
    assert _write(world, happened_on=timezone.localdate()).happened_on == timezone.localdate()


def test_a_participant_from_another_territory_is_refused_by_name(world):
    with pytest.raises(MethodError, match="Victor Visiteur ne fait pas partie de l'équipe"):
        _write(world, participants=[world.users["agent"], world.users["outsider"]])
    assert not JournalEntry.objects.filter(title="Un atelier entre services").exists()


def test_the_scope_s_people_are_its_team_its_project_team_and_its_facilitators(world):
    assigned = UserFactory(full_name="Paul Accompagnateur du projet")
    world.project.facilitators.add(assigned)
    member = UserFactory(full_name="Nina Nouvelle")
    world.project.members.add(member)
    users = world.users

    project_people = set(services.scope_people(_project_scope(world, "agent")))
    territory_people = set(services.scope_people(_territory_scope(world, "agent")))

    team = {users["agent"], users["dgs"], users["elu"], users["facilitator"]}
    assert project_people == team | {assigned, member}
    assert territory_people == team


def test_a_facilitator_of_the_project_may_be_named_but_not_in_the_territory_s_own_journal(world):
    assigned = UserFactory(full_name="Paul Accompagnateur du projet")
    world.project.facilitators.add(assigned)

    assert set(_write(world, participants=[assigned]).participants.all()) == {assigned}
    with pytest.raises(MethodError, match="Paul Accompagnateur du projet ne fait pas partie"):
        _write(world, scope=_territory_scope(world, "agent"), participants=[assigned])


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"prompt": "autre"}, "Choisissez la question"),
        ({"visibility": "public"}, "Choisissez qui peut lire"),
        ({"title": "   "}, "Donnez un titre"),
        ({"body": ""}, "Écrivez le récit"),
        ({"happened_on": None}, "Indiquez la date"),
    ],
)
def test_incomplete_recits_are_refused_with_a_french_message(world, changes, message):
    with pytest.raises(MethodError, match=message):
        _write(world, **changes)


# --- Changing and deleting -----------------------------------------------------------------------------


def test_the_author_changes_their_recit(world):
    entry = _write(world, "dgs")

    _update(world, entry, "dgs", title="Un atelier, revu", prompt=JournalPrompt.DISPUTES)

    entry.refresh_from_db()
    assert (entry.title, entry.prompt) == ("Un atelier, revu", JournalPrompt.DISPUTES)
    assert [e.action for e in history_of(entry)] == ["methods.journal.update", "methods.journal.create"]


def test_a_manager_of_the_territory_changes_someone_else_s_recit(world):
    entry = _write(world, "dgs")

    _update(world, entry, "agent", title="Corrigé par l'agent")

    entry.refresh_from_db()
    assert entry.title == "Corrigé par l'agent" and entry.author == world.users["dgs"]


@pytest.mark.parametrize("role", ["dgs", "elu"])
def test_a_team_member_does_not_change_someone_else_s_recit(world, role):
    with pytest.raises(MethodError, match="Seul·es l'auteur·ice du récit et les responsables"):
        _update(world, world.journal_entry, role, title="Réécrit")
    with pytest.raises(MethodError, match="Seul·es l'auteur·ice du récit et les responsables"):
        services.entry_delete(
            actor=world.users[role], scope=_project_scope(world, role), entry=world.journal_entry
        )
    world.journal_entry.refresh_from_db()
    assert world.journal_entry.title == "Le croisement des groupes d'agents et de DGS"


def test_a_recit_is_changed_only_through_its_own_journal(world):
    with pytest.raises(MethodError, match="n'appartient pas à ce journal"):
        _update(world, world.journal_entry, scope=_territory_scope(world, "agent"), title="Ailleurs")
    with pytest.raises(MethodError, match="n'appartient pas à ce journal"):
        services.entry_delete(
            actor=world.users["agent"], scope=_territory_scope(world, "agent"), entry=world.journal_entry
        )


def test_a_participant_who_left_the_team_stays_named_when_the_recit_is_changed(world):
    entry = _write(world, participants=[world.users["agent"], world.users["elu"]])
    world.territory.team.filter(user=world.users["elu"]).delete()

    _update(world, entry, title="Toujours avec l'élue")

    assert set(entry.participants.all()) == {world.users["agent"], world.users["elu"]}
    with pytest.raises(MethodError, match="Élise Élue ne fait pas partie"):
        _write(world, participants=[world.users["elu"]])


def test_deleting_a_recit_leaves_its_trace_in_the_audit_log(world):
    entry = _write(world, title="À effacer")
    pk = entry.pk

    services.entry_delete(actor=world.users["agent"], scope=_project_scope(world, "agent"), entry=entry)

    assert not JournalEntry.objects.filter(pk=pk).exists()
    trace = AuditEntry.objects.get(action="methods.journal.delete", target_id=str(pk))
    assert trace.data["title"] == "À effacer" and trace.actor == world.users["agent"]


# --- Sharing with the accompaniment --------------------------------------------------------------------


def test_a_recit_kept_to_the_team_tells_nobody(world):
    _write(world, visibility=JournalVisibility.TEAM)

    assert not _journal_notifications().exists()


def test_sharing_a_recit_tells_the_scope_s_facilitators_but_not_its_author(world):
    assigned = UserFactory(full_name="Paul Accompagnateur du projet")
    world.project.facilitators.add(assigned)

    entry = _write(world, visibility=JournalVisibility.SHARED, title="Partagé")

    notified = _journal_notifications()
    assert {n.recipient for n in notified} == {assigned, world.users["facilitator"]}
    first = notified.first()
    assert "Antoine Agent partage un récit de coopération" in first.title and "« Partagé »" in first.title
    assert first.url.endswith(f"/projets/{world.project.pk}/recits/#recit-{entry.pk}")
    assert first.excerpt == entry.body


def test_sharing_a_recit_later_tells_the_facilitators_once(world):
    entry = _write(world, visibility=JournalVisibility.TEAM)

    _update(world, entry, visibility=JournalVisibility.SHARED)
    _update(world, entry, title="Encore modifié", visibility=JournalVisibility.SHARED)

    assert [n.recipient for n in _journal_notifications()] == [world.users["facilitator"]]


def test_a_territory_s_shared_recit_tells_its_facilitators_with_a_link_to_its_journal(world):
    entry = _write(
        world, scope=_territory_scope(world, "dgs"), role="dgs", visibility=JournalVisibility.SHARED
    )

    notification = _journal_notifications().get()
    assert notification.recipient == world.users["facilitator"]
    assert notification.url.endswith(f"/territoires/{world.territory.pk}/recits/#recit-{entry.pk}")


# --- Personal data -------------------------------------------------------------------------------------


def test_the_export_holds_the_recits_written_with_their_text_and_those_taken_part_in(world):
    data = export(world.users["dgs"])

    written = data["journal_entries_written"]
    assert [w["title"] for w in written] == ["Un premier espace de parole des agents"]
    assert written[0]["body"].startswith("Les agents des cinq communautés")
    assert written[0]["journal"] == "Pôle Territorial du Tarn"
    assert written[0]["date"] == date(2023, 11, 20) and written[0]["prompt"] == "reflexive_spaces"
    taken_part = data["journal_entries_taken_part_in"]
    assert [t["title"] for t in taken_part] == [
        "Un différend entre DGS sur le rôle du Pôle",
        "Le croisement des groupes d'agents et de DGS",
    ]
    assert all("body" not in t for t in taken_part)
    assert taken_part[0]["journal"] == "Management des organisations par la coopération"


def test_deleting_an_account_keeps_its_recits_and_their_participants(world):
    dgs = world.users["dgs"]

    account_delete(user=dgs)

    entry = JournalEntry.objects.get(pk=world.territory_journal_entry.pk)
    assert entry.author_id == dgs.pk
    assert dgs in world.journal_entry.participants.all()
    dgs.refresh_from_db()
    assert dgs.get_full_name() == "Compte supprimé"
