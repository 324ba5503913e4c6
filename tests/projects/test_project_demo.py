"""The demo's project of the Tarn pilot: the intention validated, the cadrage reopened, revised and under
review with comments, the faisabilité a draft; built through the services; running it again changes
nothing."""

import pytest
from django.apps import apps

from accounts.models import PlatformRole
from core.audit import history_of
from projects.demo import TITLE, seed_projects
from projects.models import (
    Comment,
    DeliverableKind,
    DeliverableStatus,
    PrivateNote,
    Project,
    Responsibility,
    Stage,
)
from territories.demo import PILOT_NAME, RECOMMENDATIONS
from territories.models import Diagnostic, Recommendation, TeamMember, TeamRole, TerritoryKind

from ..factories import TerritoryFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_users():
    users = {
        "agent": UserFactory(full_name="Antoine Agent"),
        "dgs": UserFactory(full_name="Dominique DGS"),
        "elu": UserFactory(full_name="Élise Élue"),
        "facilitatrice": UserFactory(full_name="Fanny Accompagnatrice", role=PlatformRole.FACILITATOR),
    }
    territory = TerritoryFactory(name=PILOT_NAME, kind=TerritoryKind.GROUPING, epci=None)
    territory.facilitators.add(users["facilitatrice"])
    for key, role in (("agent", TeamRole.AGENT), ("dgs", TeamRole.DGS), ("elu", TeamRole.ELU)):
        TeamMember.objects.create(territory=territory, user=users[key], role=role, is_manager=key == "agent")
    diagnostic = Diagnostic.objects.create(territory=territory, date="2021-06-01", findings="Constats.")
    for number, (text, status) in enumerate(RECOMMENDATIONS, start=1):
        Recommendation.objects.create(diagnostic=diagnostic, number=number, text=text, status=status)
    return users


def _row_counts():
    return {model.__name__: model.objects.count() for model in apps.get_app_config("projects").get_models()}


def test_the_demo_project_follows_the_workflow_to_a_cadrage_under_review(demo_users):
    project = seed_projects(users=demo_users)

    assert project.title == TITLE
    assert project.stage == Stage.CADRAGE
    assert project.lead == demo_users["agent"]
    assert set(project.members.all()) == {demo_users["agent"], demo_users["dgs"]}
    assert list(project.facilitators.all()) == [demo_users["facilitatrice"]]
    assert sorted(project.recommendations.values_list("number", flat=True)) == [1, 2, 4]
    assert set(project.themes.values_list("slug", flat=True)) == {"cooperation-management", "gouvernance"}
    deliverables = {d.kind: d for d in project.deliverables.all()}
    intention = deliverables[DeliverableKind.INTENTION]
    cadrage = deliverables[DeliverableKind.CADRAGE]
    faisabilite = deliverables[DeliverableKind.FAISABILITE]
    assert intention.status == DeliverableStatus.VALIDATED
    assert (cadrage.status, cadrage.revision) == (DeliverableStatus.SUBMITTED, 2)
    assert [(v.number, v.revision, v.decision) for v in cadrage.versions.order_by("number")] == [
        (1, 1, "validated"),
        (2, 2, ""),
    ]
    assert faisabilite.status == DeliverableStatus.DRAFT
    assert faisabilite.answers.count() == 2
    assert faisabilite.means.count() == 4 and faisabilite.steps.count() == 5
    assert Responsibility.objects.filter(step__deliverable=faisabilite).count() == 19
    # The élu·es référent·es joined the stakeholders in the second version only.
    names = [
        [s["name"] for s in v.content["parts"]["stakeholders"]] for v in cadrage.versions.order_by("number")
    ]
    assert "Groupe des élu·es référent·es" not in names[0] and "Groupe des élu·es référent·es" in names[1]
    # The answers rewritten after the reopening kept their first state in their history.
    assert cadrage.answers.get(question__number=5).revisions.count() == 2

    comments = Comment.objects.filter(deliverable=cadrage)
    assert comments.filter(parent=None).count() == 3 and comments.exclude(parent=None).count() == 1
    assert comments.filter(parent=None, resolved_at__isnull=False).count() == 1
    assert all(c.version.number == 2 for c in comments)
    assert PrivateNote.objects.filter(project=project).count() == 1
    reopen = history_of(cadrage).get(action="deliverable.reopen")
    assert reopen.actor == demo_users["facilitatrice"] and "DGS" in reopen.data["reason"]


def test_running_the_demo_again_changes_nothing(demo_users):
    first = seed_projects(users=demo_users)
    counts = _row_counts()
    assert seed_projects(users=demo_users) == first
    assert _row_counts() == counts
    assert Project.objects.filter(title=TITLE).count() == 1
