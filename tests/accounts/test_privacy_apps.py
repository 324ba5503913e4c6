"""Personal data (RGPD) held by projects, the library, peer groups and trainings: each app's part of the
export holds the person's data and nothing of others', and deleting the account removes their places in teams
and groups while what they wrote stays, signed "Compte supprimé"."""

import datetime
import json

import pytest
from django.urls import reverse

from accounts.privacy import account_delete
from cooperation import services as cooperation_services
from cooperation.models import GroupMember, JoinRequest, JoinStatus, Post
from library import services as library_services
from library.models import Bookmark, Resource
from library.selectors import search_query
from projects import services as project_services
from projects.models import AnswerRevision, Comment, PrivateNote, Project
from territories.models import TeamMember
from trainings import services as training_services
from trainings.models import Effect, Participant, Polarity

from ..factories import UserFactory
from .test_privacy import reauthenticated

pytestmark = pytest.mark.django_db

PILOT_PROJECTS = {
    "Management des organisations par la coopération",
    "Réseau inter-EPCI des chargés de communication",
}


def exported(user) -> tuple[dict, str]:
    body = reauthenticated(user).post(reverse("accounts:privacy_export")).content.decode()
    return json.loads(body), body


@pytest.fixture
def lives(world):
    """On top of the world: bookmarks of the agent and the DGS, the agent at a meeting and asking to join the
    DGS group, the agent's and the DGS's accounts registered for the cycle (the agent present at its
    session), an effect the agent recorded, and private notes of the world's facilitator and a colleague."""
    users = world.users
    agent, dgs, facilitator = users["agent"], users["dgs"], users["facilitator"]
    library_services.bookmark_toggle(user=agent, resource=world.resource)
    library_services.bookmark_toggle(user=dgs, resource=world.members_resource)
    world.group_meeting.attendees.add(agent)
    world.agent_join_request = cooperation_services.join_request_create(
        actor=agent, group=world.dgs_group, message="Je voudrais suivre vos échanges."
    )
    # The agent's account, name and function taken from it; the DGS's account with a name the team typed.
    agent_registration, _dgs_registration = training_services.participants_register(
        actor=agent,
        cycle=world.training_cycle,
        people=[
            {"name": "", "organisation": "Pôle", "function": "", "user": agent},
            {"name": "D. DGS", "organisation": "Pôle", "function": "Directrice", "user": dgs},
        ],
    )
    training_services.attendance_record(
        actor=agent,
        session=world.training_session,
        present_ids=[world.training_participant.pk, agent_registration.pk],
    )
    world.agent_effect = training_services.effect_record(
        actor=agent,
        territory=world.territory,
        polarity=Polarity.NEGATIVE,
        description="Les réunions mensuelles se sont espacées.",
        observed_on=datetime.date(2023, 2, 1),
        observed_by="Antoine Agent",
    )
    world.facilitator_note = project_services.private_note_add(
        actor=facilitator, project=world.project, body="L'équipe manque de temps pour écrire."
    )
    colleague = UserFactory(full_name="Paul Pair", role=facilitator.role)
    world.project.facilitators.add(colleague)
    world.colleague_note = project_services.private_note_add(
        actor=colleague, project=world.project, body="Note d'un autre accompagnateur."
    )
    return world


# --- The export -------------------------------------------------------------------------------------------


def test_the_agent_s_export_holds_their_projects_writing_resources_groups_and_trainings(lives):
    agent = lives.users["agent"]
    data, body = exported(agent)

    assert {p["title"]: p["roles"] for p in data["projects"]} == {
        title: ["lead", "member"] for title in PILOT_PROJECTS
    }
    assert all(p["territory"] == "Pôle Territorial du Tarn" for p in data["projects"])
    revisions = data["answer_revisions"]
    assert len(revisions) == AnswerRevision.objects.filter(saved_by=agent).count() > 0
    assert {r["text"] for r in revisions} == {"Réponse de l'équipe.", "Un agent à mi-temps."}
    # The DGS wrote the pilot project's note de cadrage: not the agent's revisions.
    assert {(r["project"], r["deliverable"]) for r in revisions}.isdisjoint(
        {("Management des organisations par la coopération", "cadrage")}
    )
    assert {
        "project": "Réseau inter-EPCI des chargés de communication",
        "deliverable": "faisabilite",
    }.items() <= [r for r in revisions if r["text"] == "Un agent à mi-temps."][0].items()
    assert data["project_comments"] == [] and data["private_notes"] == []

    assert {r["title"] for r in data["library_resources_authored"]} == {
        "Le schéma actantiel",
        "Compte rendu du groupe de pairs des DGS",
        "La note d'intention, pas à pas",
        "Évaluer la valeur créée",
        "Festival Explore Demain",
    }
    assert [b["resource"] for b in data["library_bookmarks"]] == ["Le schéma actantiel"]

    assert [(g["group"], g["role"]) for g in data["peer_groups"]] == [("Espace des agents du Pôle", "member")]
    (post,) = data["peer_group_posts"]
    assert (post["group"], post["thread"], post["body"], post["attachments"]) == (
        "Espace des agents du Pôle",
        "Organisation du travail en équipe",
        "Comment partager nos plans de charge ?",
        ["ordre-du-jour.txt"],
    )
    assert [(j["group"], j["direction"], j["status"]) for j in data["peer_group_join_requests"]] == [
        ("Espace des agents du Pôle", "invitation", "accepted"),
        ("Espace des DGS du Pôle", "request", "pending"),
    ]
    assert [m["meeting"] for m in data["peer_group_meetings_attended"]] == ["Séance de lancement"]

    (registration,) = data["training_registrations"]
    assert (registration["cycle"], registration["name"], registration["function"]) == (
        "Le management par la coopération",
        "Antoine Agent",
        "Chargé·e de mission",
    )
    assert registration["sessions_attended"] == ["2022-09-22"]
    assert [e["description"] for e in data["effects_recorded"]] == [
        "Les réunions mensuelles se sont espacées."
    ]

    # Nothing of the others: their projects, revisions, comments, notes, bookmarks, requests, registrations.
    for others in (
        "Projet d'un autre territoire",
        "Et les élus ?",
        "L'équipe manque de temps",
        "Note d'un autre accompagnateur",
        "D. DGS",
        "Claire Martin",
        "Le groupe des agents s'est approprié l'exercice.",
        lives.users["outsider"].email,
        lives.users["elu"].email,
    ):
        assert others not in body, others


def test_the_facilitator_s_export_holds_the_projects_they_follow_their_reviews_and_private_notes(lives):
    data, body = exported(lives.users["facilitator"])

    assert {p["title"]: p["roles"] for p in data["projects"]} == {
        title: ["facilitator"] for title in PILOT_PROJECTS
    }
    assert data["answer_revisions"] == []
    (comment,) = data["project_comments"]
    assert (comment["project"], comment["deliverable"], comment["question"], comment["body"]) == (
        "Management des organisations par la coopération",
        "cadrage",
        1,
        "Et les élus ?",
    )
    assert [(n["project"], n["body"]) for n in data["private_notes"]] == [
        ("Management des organisations par la coopération", "L'équipe manque de temps pour écrire.")
    ]
    assert "Note d'un autre accompagnateur" not in body
    assert {(g["group"], g["role"]) for g in data["peer_groups"]} == {
        ("Espace des agents du Pôle", "facilitator"),
        ("Espace des DGS du Pôle", "facilitator"),
    }
    # The facilitator invited people: whom is the invitees' data, not theirs.
    assert data["peer_group_join_requests"] == [] and data["peer_group_posts"] == []
    assert [e["observed_by"] for e in data["effects_recorded"]] == ["Fanny Accompagnatrice"]
    assert data["training_registrations"] == [] and data["library_bookmarks"] == []


# --- The deletion -----------------------------------------------------------------------------------------


def test_deleting_the_facilitator_ends_their_roles_and_keeps_their_reviews_notes_and_effects(lives):
    facilitator, agent = lives.users["facilitator"], lives.users["agent"]
    account_delete(user=facilitator)

    assert not Project.objects.filter(facilitators=facilitator).exists()
    assert Project.objects.filter(facilitators__full_name="Paul Pair").count() == 1
    assert not GroupMember.objects.filter(user=facilitator).exists()
    assert GroupMember.objects.filter(group=lives.agents_group, user=agent).exists()
    comment = Comment.objects.get(pk=lives.comment.pk)
    assert str(comment.author) == "Compte supprimé" and comment.body == "Et les élus ?"
    assert PrivateNote.objects.get(pk=lives.facilitator_note.pk).author == facilitator
    assert PrivateNote.objects.filter(pk=lives.colleague_note.pk).exists()
    # The effect stays; its observer was the facilitator's own name, which goes with the account.
    effect = Effect.objects.get(pk=lives.effect.pk)
    assert (effect.recorded_by, effect.observed_by) == (facilitator, "Compte supprimé")
    assert Effect.objects.get(pk=lives.agent_effect.pk).observed_by == "Antoine Agent"
    # Invitations the facilitator sent still wait for their invitees.
    assert JoinRequest.objects.get(pk=lives.group_invitation.pk).status == JoinStatus.PENDING


def test_deleting_the_agent_leaves_teams_groups_and_registrations_and_keeps_their_work(
    lives, django_capture_on_commit_callbacks
):
    agent, dgs = lives.users["agent"], lives.users["dgs"]
    TeamMember.objects.filter(user=dgs).update(is_manager=True)
    revisions = AnswerRevision.objects.filter(saved_by=agent).count()
    other_cycle = training_services.cycle_create(
        actor=dgs,
        territory=lives.territory,
        title="Le mode projet collectif",
        audience="Les agents",
        days=2,
        start_date=datetime.date(2023, 3, 1),
        end_date=datetime.date(2023, 3, 31),
    )
    (typed,) = training_services.participants_register(
        actor=dgs,
        cycle=other_cycle,
        people=[{"name": "A. Agent", "organisation": "Pôle", "function": "Référent", "user": agent}],
    )

    assert Resource.objects.filter(search_vector=search_query("Antoine")).count() == 5

    with django_capture_on_commit_callbacks(execute=True):
        account_delete(user=agent)

    # Projects: out of the teams, still named as lead so the team sees it must choose another.
    project = Project.objects.get(pk=lives.project.pk)
    assert project.lead == agent and str(project.lead) == "Compte supprimé"
    assert not Project.objects.filter(members=agent).exists()
    assert list(project.members.all()) == [dgs]
    assert AnswerRevision.objects.filter(saved_by=agent).count() == revisions
    # Library: their bookmarks go, not the DGS's; their resources stay theirs, no longer found by their name.
    assert not Bookmark.objects.filter(user=agent).exists()
    assert Bookmark.objects.filter(user=dgs, resource=lives.members_resource).exists()
    assert list(Resource.objects.get(pk=lives.resource.pk).authors.all()) == [agent]
    assert not Resource.objects.filter(search_vector=search_query("Antoine")).exists()
    # Groups: out of them, the post stays, their waiting request is declined and the outsider's is not.
    assert not GroupMember.objects.filter(user=agent).exists()
    assert GroupMember.objects.filter(group=lives.agents_group).exists()
    assert Post.objects.get(thread=lives.group_thread).author == agent
    request = JoinRequest.objects.get(pk=lives.agent_join_request.pk)
    assert (request.status, request.message) == (JoinStatus.DECLINED, "Je voudrais suivre vos échanges.")
    assert JoinRequest.objects.get(pk=lives.group_join_request.pk).status == JoinStatus.PENDING
    # Trainings: registrations lose the account; what came from it goes, what the team typed stays.
    from_account = Participant.objects.get(
        cycle=lives.training_cycle, organisation="Pôle", name__startswith="Compte"
    )
    assert (from_account.name, from_account.function, from_account.user) == (
        f"Compte supprimé n° {agent.pk}",
        "",
        None,
    )
    typed.refresh_from_db()
    assert (typed.name, typed.function, typed.user) == ("A. Agent", "Référent", None)
    other = Participant.objects.get(name="D. DGS")
    assert (other.user, other.function) == (dgs, "Directrice")
    assert Participant.objects.filter(pk=lives.training_participant.pk, name="Claire Martin").exists()
    assert Effect.objects.get(pk=lives.agent_effect.pk).observed_by == "Compte supprimé"
    assert Effect.objects.get(pk=lives.effect.pk).observed_by == "Fanny Accompagnatrice"
