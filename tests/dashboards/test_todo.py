"""The « À faire » of « Mon espace »: what each role has to do, each item linking to where it is done, with
counts that match the pages they link to, empty states that say what is done, and a fixed number of
queries whatever the data size."""

import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from alliance import services as alliance_services
from cooperation import services as cooperation_services
from projects import services as project_services
from projects.models import DeliverableKind
from territories.models import Invitation, Recommendation, TeamRole
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.worlds.projects import answer_all

pytestmark = pytest.mark.django_db

MY_SPACE = reverse("dashboards:my_space")


def _page(client) -> str:
    response = client.get(MY_SPACE)
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def _todo(response_or_client) -> dict:
    """The « À faire » lists by key: {key: list}, from the page's context."""
    response = response_or_client.get(MY_SPACE)
    return {todo.key: todo for todo in response.context["todo"]}


def _list_html(page: str, key: str) -> str:
    slug = key.replace(".", "")
    match = re.search(rf'<section class="card todo-list" id="a-faire-{slug}".*?</section>', page, re.S)
    assert match, f"no list {key} on the page"
    return match.group(0)


# --- The project team (the agent leads the pilot's projects) -----------------------------------------------


def test_the_agent_sees_the_note_to_write_with_its_age_and_a_link_to_it(world, client_for):
    todo = _todo(client_for("agent"))
    notes = todo["projects.notes"]
    assert [item.url for item in notes.items] == [
        reverse("projects:deliverable", args=[world.draft_project.pk, DeliverableKind.FAISABILITE])
    ]
    assert notes.count == 1
    page = _page(client_for("agent"))
    assert "Note de faisabilité — Réseau inter-EPCI des chargés de communication" in _list_html(
        page, "projects.notes"
    )
    assert "ouverte depuis" in _list_html(page, "projects.notes")


def test_a_note_to_revise_comes_first_with_the_reviewers_message(world, client_for):
    project_services.deliverable_request_changes(
        actor=world.users["facilitator"], deliverable=world.cadrage, message="Précisez le rôle des élus."
    )
    notes = _todo(client_for("agent"))["projects.notes"]
    first = notes.items[0]
    assert (
        first.url
        == reverse("projects:deliverable", args=[world.project.pk, "cadrage"]) + "#decision-relecture"
    )
    assert first.status == "À reprendre"
    assert first.message == "Précisez le rôle des élus."
    assert first.message_by == "Fanny Accompagnatrice"
    assert notes.count == 2
    block = _list_html(_page(client_for("agent")), "projects.notes")
    assert "Précisez le rôle des élus." in block
    assert "à reprendre depuis moins d'une minute" in block


def test_the_link_of_a_note_to_revise_lands_on_the_decision_at_the_top_of_the_note(world, client_for):
    project_services.deliverable_request_changes(
        actor=world.users["facilitator"], deliverable=world.cadrage, message="Précisez le rôle des élus."
    )
    page = html.unescape(
        client_for("agent")
        .get(reverse("projects:deliverable", args=[world.project.pk, "cadrage"]))
        .content.decode()
    )
    summary = page.index('id="decision-relecture"')
    assert summary < page.index('id="question-1"')
    top = page[summary : page.index('id="question-1"')]
    assert "À reprendre : le message de la relecture" in top
    assert "Précisez le rôle des élus." in top
    assert "Fanny Accompagnatrice a demandé des modifications le" in top
    # The open thread of the facilitator's question is listed there, linking to it.
    assert f'href="#commentaire-{world.comment.pk}"' in top
    assert "Question 1 : « Et les élus ? »" in top


def test_a_thread_waiting_for_the_team_is_listed_until_the_team_answers(world, client_for):
    threads = _todo(client_for("agent"))["projects.threads"]
    assert threads.count == 1
    [item] = threads.items
    assert (
        item.url
        == reverse("projects:deliverable", args=[world.project.pk, "cadrage"]) + "#discussions-ouvertes"
    )
    assert item.detail == "1 discussion attend votre réponse"
    # The note's page marks the same thread as waiting for the team: the counts match.
    page = html.unescape(
        client_for("agent")
        .get(reverse("projects:deliverable", args=[world.project.pk, "cadrage"]))
        .content.decode()
    )
    assert page.count('class="open-thread open-thread-waiting"') == 1

    project_services.comment_add(
        actor=world.users["dgs"], deliverable=world.cadrage, parent=world.comment, body="Ils sont associés."
    )
    threads = _todo(client_for("agent"))["projects.threads"]
    assert threads.count == 0
    assert "Aucune discussion ne vous attend." in _page(client_for("agent"))


def test_a_person_mentioned_in_a_thread_sees_it_until_they_write_in_it(world, client_for):
    facilitator = world.users["facilitator"]
    assert _todo(client_for("facilitator"))["projects.threads"].count == 0
    project_services.comment_add(
        actor=world.users["agent"],
        deliverable=world.cadrage,
        parent=world.comment,
        body="@Fanny Accompagnatrice les élus sont dans le comité.",
        mentioned=[facilitator],
        allowed_mentions=[facilitator],
    )
    threads = _todo(client_for("facilitator"))["projects.threads"]
    assert threads.count == 1
    page = html.unescape(
        client_for("facilitator")
        .get(reverse("projects:deliverable", args=[world.project.pk, "cadrage"]))
        .content.decode()
    )
    assert page.count('class="open-thread open-thread-waiting"') == 1

    project_services.comment_add(
        actor=facilitator, deliverable=world.cadrage, parent=world.comment, body="Merci, c'est clair."
    )
    assert _todo(client_for("facilitator"))["projects.threads"].count == 0


def test_a_resolved_thread_waits_for_nobody(world, client_for):
    project_services.comment_resolve(actor=world.users["agent"], comment=world.comment)
    assert _todo(client_for("agent"))["projects.threads"].count == 0


# --- The facilitator ---------------------------------------------------------------------------------------


def test_the_facilitator_sees_the_notes_to_review_and_the_count_of_the_review_queue(world, client_for):
    review = _todo(client_for("facilitator"))["projects.review"]
    assert [item.url for item in review.items] == [
        reverse("projects:review", args=[world.project.pk, "cadrage"])
    ]
    queue = client_for("facilitator").get(reverse("projects:review_queue"))
    assert review.count == queue.context["page"].paginator.count == 1
    assert review.more_url == reverse("projects:review_queue")
    assert "en attente de relecture depuis " in _list_html(
        _page(client_for("facilitator")), "projects.review"
    )


def test_the_review_list_says_when_there_is_nothing_to_review(world, client_for):
    project_services.deliverable_validate(actor=world.users["facilitator"], deliverable=world.cadrage)
    review = _todo(client_for("facilitator"))["projects.review"]
    assert review.count == 0
    assert "Rien à relire" in _list_html(_page(client_for("facilitator")), "projects.review")


def test_the_review_list_is_cut_but_counts_every_note_like_the_queue(world, client_for):
    for index in range(7):
        project = project_services.project_create(
            actor=world.users["agent"], territory=world.territory, title=f"Projet à relire {index}"
        )
        project.facilitators.add(world.users["facilitator"])
        intention = project.deliverables.get(kind=DeliverableKind.INTENTION)
        answer_all(world.users["agent"], intention)
        project_services.deliverable_submit(actor=world.users["agent"], deliverable=intention)
    review = _todo(client_for("facilitator"))["projects.review"]
    queue = client_for("facilitator").get(reverse("projects:review_queue"))
    assert review.count == queue.context["page"].paginator.count == 8
    assert len(review.items) == 5
    # Oldest first, as in the queue.
    assert [item.url for item in review.items] == [
        reverse("projects:review", args=[d.project_id, d.kind]) for d in list(queue.context["page"])[:5]
    ]
    assert "Toute la file de relecture (et 3 autres)" in _page(client_for("facilitator"))


# --- The élu -----------------------------------------------------------------------------------------------


def test_the_elu_sees_the_proposal_addressed_to_them_like_the_interpellations_page(world, client_for):
    proposals = _todo(client_for("elu"))["cooperation.proposals"]
    assert [item.url for item in proposals.items] == [
        reverse("cooperation:proposal_detail", args=[world.joint_proposal.pk])
    ]
    page = client_for("elu").get(reverse("cooperation:interpellations"))
    assert proposals.count == len(page.context["waiting"]) == 1

    cooperation_services.proposal_answer(
        actor=world.users["elu"], proposal=world.joint_proposal, decision="adopted", response="Oui."
    )
    proposals = _todo(client_for("elu"))["cooperation.proposals"]
    assert proposals.count == 0
    assert "Aucune proposition n'attend la réponse des élu·es." in _page(client_for("elu"))


def test_the_elu_sees_the_invitation_to_join_a_peer_group(world, client_for):
    invitations = _todo(client_for("elu"))["invitations"]
    assert [item.url for item in invitations.items] == [
        reverse("cooperation:group_detail", args=[world.dgs_group.pk]) + "#invitation-title"
    ]


# --- The territory's manager -------------------------------------------------------------------------------


def test_the_manager_sees_the_invitations_sent_like_the_team_page(world, client_for):
    Invitation.objects.create(
        territory=world.territory,
        email="autre@exemple.fr",
        role=TeamRole.AGENT,
        invited_by=world.users["agent"],
    )
    sent = _todo(client_for("agent"))["territories.invitations"]
    [item] = sent.items
    assert item.url == reverse("territories:team", args=[world.territory.pk]) + "#invitations"
    team = client_for("agent").get(reverse("territories:team", args=[world.territory.pk]))
    assert sent.count == len(team.context["invitations"]) == 2
    assert item.detail == "2 invitations attendent une réponse"


def test_the_manager_sees_recommendations_without_a_project_like_the_dashboard(world, client_for):
    recommendation = Recommendation.objects.create(
        diagnostic=world.recommendation.diagnostic,
        number=9,
        text="Créer un réseau des secrétaires de mairie.",
    )
    recommendations = _todo(client_for("agent"))["projects.recommendations"]
    [item] = recommendations.items
    assert (
        item.url
        == reverse("projects:create", args=[world.territory.pk]) + f"?recommandation={recommendation.pk}"
    )
    dashboard = client_for("agent").get(reverse("territories:dashboard", args=[world.territory.pk]))
    assert recommendations.count == len(dashboard.context["recommendations_without_project"]) == 1
    assert recommendations.more_url.endswith("#recommandations-sans-projet")


def test_the_persons_own_invitation_to_a_territory_is_listed(world, client_for):
    invitation = world.invitation
    invitation.email = world.users["outsider"].email
    invitation.save()
    invitations = _todo(client_for("outsider"))["invitations"]
    assert [item.url for item in invitations.items] == [
        reverse("territories:invitation", args=[invitation.token])
    ]


# --- The admin ---------------------------------------------------------------------------------------------


def test_the_admin_sees_the_applications_like_the_review_queue(world, client_for):
    for index in range(6):
        MembershipFactory(organisation=OrganisationFactory(name=f"Candidat {index}"), signatory=UserFactory())
    applications = _todo(client_for("admin"))["alliance.applications"]
    queue = client_for("admin").get(reverse("alliance:review_queue"))
    assert applications.count == queue.context["page"].paginator.count == 7
    assert len(applications.items) == 5
    assert applications.items[0].url == world.candidate_membership.get_absolute_url()


def test_the_admin_sees_the_members_who_must_sign_the_new_charter(world, client_for):
    resign = _todo(client_for("admin"))["alliance.resign"]
    assert resign.count == 0
    assert "Tous les membres ont signé la charte en vigueur." in _page(client_for("admin"))
    alliance_services.charter_publish(
        actor=world.users["admin"], preamble="Nouveau préambule", commitments=["Agir"]
    )
    resign = _todo(client_for("admin"))["alliance.resign"]
    accepted = {world.agent_membership.pk, world.personal_membership.pk}
    assert resign.count == len(accepted)
    queue = client_for("admin").get(resign.more_url)
    assert queue.context["page"].paginator.count == resign.count
    assert {m.pk for m in queue.context["page"]} == accepted


def test_admin_lists_are_for_admins_only(world, client_for):
    for role in ("agent", "elu", "dgs", "facilitator", "outsider"):
        todo = _todo(client_for(role))
        assert "alliance.applications" not in todo
        assert "alliance.resign" not in todo


# --- Whoever has nothing to do -----------------------------------------------------------------------------


def test_someone_with_nothing_to_do_is_told_so(world, client):
    newcomer = UserFactory(full_name="Nina Nouvelle")
    client.force_login(newcomer)
    assert _todo(client) == {}
    assert "Rien à faire pour l'instant" in _page(client)


def test_the_todo_comes_before_the_profile(world, client_for):
    page = _page(client_for("agent"))
    assert page.index('id="todo-title"') < page.index('id="profile-title"')


# --- Queries -----------------------------------------------------------------------------------------------


def _grow(world, size, start=0):
    """`size` more of everything the « À faire » lists: notes to write, threads waiting for the team and
    mentioning the facilitator, notes to review, proposals for the élu, invitations, applications."""
    users = world.users
    for index in range(start, start + size):
        project = project_services.project_create(
            actor=users["agent"], territory=world.territory, title=f"Projet {index}", members=[users["dgs"]]
        )
        project.facilitators.add(users["facilitator"])
        intention = project.deliverables.get(kind=DeliverableKind.INTENTION)
        answer_all(users["agent"], intention)
        if index % 2:
            project_services.deliverable_submit(actor=users["agent"], deliverable=intention)
        comment = project_services.comment_add(
            actor=users["facilitator"], deliverable=intention, body="Pourquoi ?"
        )
        project_services.comment_add(
            actor=users["agent"],
            deliverable=intention,
            parent=comment,
            body="@Fanny Accompagnatrice voir plus haut.",
            mentioned=[users["facilitator"]],
            allowed_mentions=[users["facilitator"]],
        )
        project_services.comment_add(actor=users["facilitator"], deliverable=intention, body="Et le budget ?")
        Invitation.objects.create(
            territory=world.territory, email=f"invite{index}@exemple.fr", role=TeamRole.AGENT
        )
        MembershipFactory(organisation=OrganisationFactory(name=f"Candidat {index}"), signatory=UserFactory())
        Recommendation.objects.create(
            diagnostic=world.recommendation.diagnostic, number=100 + index, text="R."
        )
        proposal = cooperation_services.proposal_create(
            actor=users["agent"], crossing=world.crossing, title=f"Proposition {index}", body="Texte."
        )
        cooperation_services.proposal_agree(actor=users["agent"], proposal=proposal, group=world.agents_group)
        cooperation_services.proposal_agree(actor=users["dgs"], proposal=proposal, group=world.dgs_group)
        cooperation_services.proposal_address(actor=users["agent"], proposal=proposal)


# Measured on a page after the session's first (which records the charter check): the todo of every role
# costs the same at both sizes; the agent (project team, territory manager) pays for the most lists.
MAX_QUERIES = 16


@pytest.mark.parametrize("role", ["agent", "facilitator", "elu", "admin"])
def test_the_page_costs_the_same_queries_at_two_sizes(role, world, client_for, django_assert_max_num_queries):
    client = client_for(role)
    client.get(MY_SPACE)
    _grow(world, 2)
    with CaptureQueriesContext(connection) as small:
        client.get(MY_SPACE)
    _grow(world, 12, start=2)
    with django_assert_max_num_queries(len(small)):
        response = client.get(MY_SPACE)
    assert len(small) <= MAX_QUERIES
    todo = {todo.key: todo for todo in response.context["todo"]}
    assert any(todo.count >= 12 for todo in todo.values())


def test_the_lists_grow_with_the_data(world, client_for):
    _grow(world, 6)
    agent = _todo(client_for("agent"))
    assert agent["projects.notes"].count == 1 + 3  # the draft faisabilité and the unsubmitted intentions
    assert agent["projects.threads"].count == 1 + 6
    facilitator = _todo(client_for("facilitator"))
    assert facilitator["projects.review"].count == 1 + 3
    assert facilitator["projects.threads"].count == 6
    assert _todo(client_for("elu"))["cooperation.proposals"].count == 1 + 6
