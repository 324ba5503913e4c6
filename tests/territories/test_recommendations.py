"""The diagnostic's recommendations and the projects that answer them, both ways: the status follows the
projects (proposée → en cours → réalisée) unless set by hand; the dashboard lists each recommendation's
projects with their stage, and the recommendations still without a project."""

import html
import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from projects import services as project_services
from projects.models import DeliverableKind, Project, Stage
from territories.models import Recommendation, RecommendationStatus
from tests.worlds.projects import answer_all

pytestmark = pytest.mark.django_db


def _recommendation(world, number, text="Une recommandation.", **fields):
    return Recommendation.objects.create(
        diagnostic=world.territory.diagnostic, number=number, text=text, **fields
    )


def _status(recommendation):
    recommendation.refresh_from_db()
    return recommendation.status


def _launch(world, project):
    """Validate the project's three notes, as its team and facilitator would."""
    agent, facilitator = world.users["agent"], world.users["facilitator"]
    for kind in DeliverableKind.ordered():
        deliverable = project.deliverables.get(kind=kind)
        if deliverable.status == "validated":
            continue
        if kind == DeliverableKind.CADRAGE:
            deliverable.stakeholders.create(name="Élus", family="elu")
            deliverable.objectives.create(kind="qualitative", title="Coopérer")
            deliverable.success_criteria.create(text="Un séminaire par an")
        if kind == DeliverableKind.FAISABILITE:
            deliverable.means.create(origin="internal", kind="human", description="Un agent")
            deliverable.means.create(origin="external", kind="financial", description="ADEME")
            step = deliverable.steps.create(title="Lancement", start="2026-01-05", end="2026-01-05")
            stakeholder = project.deliverables.get(kind=DeliverableKind.CADRAGE).stakeholders.first()
            step.responsibilities.create(stakeholder=stakeholder, level="R")
        answer_all(agent, deliverable)
        if deliverable.status != "submitted":
            project_services.deliverable_submit(actor=agent, deliverable=deliverable)
        project_services.deliverable_validate(actor=facilitator, deliverable=deliverable)
    project.refresh_from_db()
    assert project.stage == Stage.LAUNCHED


def test_a_recommendation_is_proposed_then_in_progress_then_done_as_its_project_advances(world):
    recommendation = _recommendation(world, 2)
    assert _status(recommendation) == RecommendationStatus.PROPOSED

    project = project_services.project_create(
        actor=world.users["agent"],
        territory=world.territory,
        title="Un séminaire annuel",
        recommendations=[recommendation],
    )
    assert _status(recommendation) == RecommendationStatus.IN_PROGRESS

    _launch(world, project)
    assert _status(recommendation) == RecommendationStatus.DONE

    project_services.project_abandon(actor=world.users["agent"], project=project, reason="Plus de budget.")
    assert _status(recommendation) == RecommendationStatus.PROPOSED
    project_services.project_resume(actor=world.users["agent"], project=project)
    assert _status(recommendation) == RecommendationStatus.DONE


def test_unlinking_the_last_project_makes_a_recommendation_proposed_again(world):
    recommendation = _recommendation(world, 2)
    project = Project.objects.get(pk=world.project.pk)
    keep = list(project.recommendations.all())
    project_services.project_update(
        actor=world.users["agent"],
        project=project,
        title=project.title,
        summary=project.summary,
        themes=[],
        lead=project.lead,
        members=list(project.members.all()),
        recommendations=[*keep, recommendation],
    )
    assert _status(recommendation) == RecommendationStatus.IN_PROGRESS
    project_services.project_update(
        actor=world.users["agent"],
        project=project,
        title=project.title,
        summary=project.summary,
        themes=[],
        lead=project.lead,
        members=list(project.members.all()),
        recommendations=keep,
    )
    assert _status(recommendation) == RecommendationStatus.PROPOSED


def test_a_status_set_by_hand_is_kept_until_it_is_handed_back_to_the_projects(world, client_for):
    url = reverse("territories:recommendation_edit", args=[world.territory.pk, world.recommendation.pk])
    client = client_for("facilitator")
    assert _status(world.recommendation) == RecommendationStatus.IN_PROGRESS  # the world's project answers it

    response = client.post(
        url, {"number": "1", "text": world.recommendation.text, "status": RecommendationStatus.SET_ASIDE}
    )
    assert response.status_code == 302
    assert _status(world.recommendation) == RecommendationStatus.SET_ASIDE
    assert world.recommendation.status_set_by_hand

    # A new project answering it does not change a status set by hand.
    project_services.project_create(
        actor=world.users["agent"],
        territory=world.territory,
        title="Encore un projet",
        recommendations=[world.recommendation],
    )
    assert _status(world.recommendation) == RecommendationStatus.SET_ASIDE
    form = client.get(url).context["form"]
    assert form["status"].value() == RecommendationStatus.SET_ASIDE

    client.post(url, {"number": "1", "text": world.recommendation.text, "status": ""})
    assert _status(world.recommendation) == RecommendationStatus.IN_PROGRESS
    assert not world.recommendation.status_set_by_hand
    assert not client.get(url).context["form"]["status"].value()


def test_the_dashboard_lists_the_projects_of_each_recommendation_and_those_without_one(world, client_for):
    _recommendation(world, 2, "Co-construire un projet opérationnel.")
    _recommendation(
        world, 3, "Sensibiliser les élu·es.", status=RecommendationStatus.SET_ASIDE, status_set_by_hand=True
    )

    response = client_for("agent").get(reverse("territories:dashboard", args=[world.territory.pk]))

    rows = {r.number: projects for r, projects in response.context["recommendation_rows"]}
    assert [p.title for p in rows[1]] == ["Management des organisations par la coopération"]
    assert rows[2] == [] and rows[3] == []
    without = [r.number for r in response.context["recommendations_without_project"]]
    assert without == [2]  # R3 is set aside
    text = html.unescape(response.content.decode())
    assert "Projets qui y répondent" in text
    assert "Recommandations sans projet" in text
    assert 'class="badge project-stage project-stage-cadrage">Cadrage</span>' in text
    assert "d'après les projets" in text and "fixé à la main" in text
    create = reverse("projects:create", args=[world.territory.pk])
    assert f"{create}?recommandation=" in text


def test_a_project_started_from_a_recommendation_answers_it(world, client_for):
    recommendation = _recommendation(world, 2)
    url = reverse("projects:create", args=[world.territory.pk]) + f"?recommandation={recommendation.pk}"
    form = client_for("agent").get(url).context["form"]
    assert form["recommendations"].value() == [recommendation.pk]
    # Nonsense in the address is ignored.
    for wrong in ("abc", "²", "١", "99999999999999999999", str(recommendation.pk + 10_000)):
        response = client_for("agent").get(url.split("?")[0] + f"?recommandation={wrong}")
        assert response.status_code == 200 and not response.context["form"]["recommendations"].value()


def test_the_facilitator_does_not_get_the_link_to_start_a_project(world, client_for):
    _recommendation(world, 2)
    text = client_for("facilitator").get(reverse("territories:dashboard", args=[world.territory.pk]))
    assert "?recommandation=" not in text.content.decode()


def test_the_migration_keeps_the_statuses_people_chose_as_set_by_hand(world):
    migration = importlib.import_module("projects.migrations.0003_recommendations_follow_projects")
    follows = world.recommendation  # in progress, as its project implies
    chosen = _recommendation(world, 2, status=RecommendationStatus.DONE)  # done without any project
    proposed = _recommendation(world, 3)
    Recommendation.objects.update(status_set_by_hand=False)

    migration.mark_hand_set(apps, None)

    assert [
        r.status_set_by_hand
        for r in Recommendation.objects.filter(pk__in=[follows.pk, chosen.pk, proposed.pk]).order_by("number")
    ] == [False, True, False]
