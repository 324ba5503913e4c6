"""The project page, the review queue and the lists cost the same number of queries whatever the number of
comments and projects."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.models import Theme
from projects import services
from projects.models import Comment, Deliverable, DeliverableStatus

pytestmark = pytest.mark.django_db

# Generous ceilings; the tests' point is that the counts do not move with the data.
PROJECT_PAGE_MAX = 30
LIST_MAX = 20


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
    assert large == small
    with django_assert_max_num_queries(LIST_MAX):
        client.get(url)
    assert client.get(url).context["page"].paginator.count >= 29


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


def test_the_territory_dashboard_counts_projects_in_one_query(world, client_for):
    client = client_for("agent")
    url = reverse("territories:dashboard", args=[world.territory.pk])
    small = _count(client, url)
    _add_projects(world, 12)
    assert _count(client, url) == small
