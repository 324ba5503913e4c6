"""The project page, the review queue and the lists cost the same number of queries whatever the number of
comments and projects."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import PlatformRole, User
from core.models import Theme
from projects import services
from projects.models import Comment, Deliverable, DeliverableKind, DeliverableStatus, Project, QuestionSet
from territories.models import TeamMember, TeamRole, Territory, TerritoryKind
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# Generous ceilings; the tests' point is that the counts do not move with the data.
PROJECT_PAGE_MAX = 12
LIST_MAX = 20
# The budgets of issue 15 for the everyday pages.
REVIEW_QUEUE_MAX = 12


def _add_comments(world, total):
    """Comments on the cadrage under review until it holds `total`: threads, replies, some resolved."""
    cadrage = world.cadrage
    question = cadrage.question_set.questions.first()
    existing = Comment.objects.filter(deliverable=cadrage).count()
    threads = Comment.objects.bulk_create(
        Comment(
            deliverable=cadrage,
            question=question,
            author=world.users["facilitator"],
            body=f"Remarque n°{n}",
            resolved_at=timezone.now() if n % 3 == 0 else None,
        )
        for n in range((total - existing) // 2)
    )
    Comment.objects.bulk_create(
        Comment(deliverable=cadrage, question=question, parent=t, author=world.users["agent"], body="Réponse")
        for t in threads
    )
    Comment.objects.bulk_create(
        Comment(deliverable=cadrage, author=world.users["dgs"], body="Encore")
        for _ in range(total - Comment.objects.filter(deliverable=cadrage).count())
    )
    assert Comment.objects.filter(deliverable=cadrage).count() == total


def _add_projects(world, total):
    """Projects of the pilot until it has `total`, each with a theme and a submitted note d'intention."""
    theme = Theme.objects.first()
    while world.territory.projects.count() < total:
        project = services.project_create(
            actor=world.users["agent"],
            territory=world.territory,
            title=f"Projet n°{world.territory.projects.count()}",
            themes=[theme],
            members=[world.users["dgs"]],
        )
        Deliverable.objects.filter(project=project).update(
            status=DeliverableStatus.SUBMITTED, submitted_at=timezone.now()
        )


def _add_people(world, total):
    """`total` more people on the project's team (in the territory's team) and as many facilitators."""
    team = [UserFactory() for _ in range(total)]
    TeamMember.objects.bulk_create(
        TeamMember(territory=world.territory, user=user, role=TeamRole.AGENT) for user in team
    )
    world.project.members.add(*team)
    world.project.facilitators.add(*[UserFactory(role=PlatformRole.FACILITATOR) for _ in range(total)])


def _add_territories(total):
    """`total` more territories, each with a project whose note d'intention is submitted and assigned to
    every facilitator: as many more options in the filters, rows in the queue, links to follow."""
    territories = Territory.objects.bulk_create(
        Territory(name=f"Territoire en plus n°{n}", kind=TerritoryKind.GROUPING) for n in range(total)
    )
    projects = Project.objects.bulk_create(
        Project(territory=territory, title=f"Projet de {territory.name}") for territory in territories
    )
    question_set = QuestionSet.objects.filter(kind=DeliverableKind.INTENTION, is_current=True).get()
    Deliverable.objects.bulk_create(
        Deliverable(
            project=project,
            kind=DeliverableKind.INTENTION,
            question_set=question_set,
            status=DeliverableStatus.SUBMITTED,
            submitted_at=timezone.now(),
        )
        for project in projects
    )
    facilitators = User.objects.filter(role=PlatformRole.FACILITATOR)
    Project.facilitators.through.objects.bulk_create(
        Project.facilitators.through(project=project, user=user)
        for project in projects
        for user in facilitators
    )
    Territory.facilitators.through.objects.bulk_create(
        Territory.facilitators.through(territory=territory, user=user)
        for territory in territories
        for user in facilitators
    )


def _count(client, url, params=None):
    # The first request of a session stores a few things in it: measure a second one.
    client.get(url, params or {})
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("role", ["agent", "facilitator", "admin"])
def test_the_project_page_costs_the_same_with_5_and_500_comments(
    world, client_for, role, django_assert_max_num_queries
):
    client = client_for(role)
    url = world.project.get_absolute_url()
    _add_comments(world, 5)
    small = _count(client, url)
    _add_comments(world, 500)
    services.private_note_add(actor=world.users["facilitator"], project=world.project, body="Une note.")
    _add_people(world, 15)
    large = _count(client, url)
    assert large == small
    with django_assert_max_num_queries(PROJECT_PAGE_MAX):
        client.get(url)


@pytest.mark.parametrize("role", ["facilitator", "admin"])
def test_the_review_queue_costs_the_same_with_5_and_500_comments_and_more_projects(
    world, client_for, role, django_assert_max_num_queries
):
    client = client_for(role)
    url = reverse("projects:review_queue")
    _add_comments(world, 5)
    small = _count(client, url)
    _add_comments(world, 500)
    _add_projects(world, 30)
    large = _count(client, url)
    assert large == small <= REVIEW_QUEUE_MAX
    with django_assert_max_num_queries(REVIEW_QUEUE_MAX):
        client.get(url)
    assert client.get(url).context["page"].paginator.count >= 29


@pytest.mark.parametrize("role", ["facilitator", "admin"])
def test_the_review_queue_costs_the_same_with_a_few_and_300_more_territories_in_its_filter(
    world, client_for, role
):
    client = client_for(role)
    url = reverse("projects:review_queue")
    small = _count(client, url)
    filtered_small = _count(client, url, {"territory": world.territory.pk, "q": "projet"})
    _add_territories(300)
    assert _count(client, url) == small <= REVIEW_QUEUE_MAX
    assert _count(client, url, {"territory": world.territory.pk, "q": "projet"}) == filtered_small
    response = client.get(url)
    # Every territory is offered in the filter, each queue row counted.
    options = response.content.decode().count('<option value="')
    assert options >= 300 + 1
    assert response.context["page"].paginator.count >= 300


@pytest.mark.parametrize(
    ("role", "name"),
    [("agent", "projects:mine"), ("admin", "projects:all"), ("dgs", "projects:territory_list")],
)
def test_the_lists_cost_the_same_with_4_and_30_projects(
    world, client_for, role, name, django_assert_max_num_queries
):
    client = client_for(role)
    _add_projects(world, 4)
    url = reverse(name, args=[world.territory.pk] if name == "projects:territory_list" else None)
    small = _count(client, url)
    filtered_small = _count(
        client, url, {"q": "projet", "stage": "intention", "theme": Theme.objects.first().slug}
    )
    _add_projects(world, 30)
    _add_comments(world, 500)
    assert _count(client, url) == small <= LIST_MAX
    assert _count(
        client, url, {"q": "projet", "stage": "intention", "theme": Theme.objects.first().slug}
    ) == (filtered_small)
    assert len(client.get(url).context["page"]) == 20
    with django_assert_max_num_queries(LIST_MAX):
        client.get(url)


# The territory dashboard of the world (a diagnostic and its recommendations, assessments, trainings, a
# synthesis): 20 to 22 statements before issue 15; the budget is 12, whatever the territory holds.
DASHBOARD_MAX = 12


def test_the_territory_dashboard_counts_projects_in_one_query(world, client_for):
    client = client_for("agent")
    url = reverse("territories:dashboard", args=[world.territory.pk])
    small = _count(client, url)
    _add_projects(world, 12)
    assert _count(client, url) == small <= DASHBOARD_MAX


def test_the_territory_dashboard_costs_the_same_with_a_larger_team_and_more_invitations(world, client_for):
    client = client_for("dgs")
    url = reverse("territories:dashboard", args=[world.territory.pk])
    small = _count(client, url)
    _add_people(world, 15)
    for n in range(5):
        world.territory.invitations.create(email=f"invite{n}@exemple.fr", role=TeamRole.AGENT)
    response = client.get(url)
    assert response.context["team_count"] == TeamMember.objects.filter(territory=world.territory).count()
    assert response.context["pending_invitations"] >= 5
    assert _count(client, url) == small <= DASHBOARD_MAX
