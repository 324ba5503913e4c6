"""The deliverable page reads a fixed number of queries whatever the number of rows and comments."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from projects import services
from projects.models import (
    Means,
    MeansKind,
    MeansOrigin,
    Objective,
    ObjectiveKind,
    Responsibility,
    Stakeholder,
    Step,
    SuccessCriterion,
)

from .test_deliverable_parts import open_cadrage

pytestmark = pytest.mark.django_db
MAX_QUERIES = 60


def fill_cadrage(world, cadrage, size):
    for index in range(size):
        Stakeholder.objects.create(deliverable=cadrage, name=f"Partie {index}", family="agent")
        objective = Objective.objects.create(
            deliverable=cadrage, kind=ObjectiveKind.QUALITATIVE, title=f"Objectif {index}"
        )
        criterion = SuccessCriterion.objects.create(deliverable=cadrage, text=f"Critère {index}")
        criterion.objectives.add(objective)
        services.comment_add(
            actor=world.users["facilitator"],
            deliverable=cadrage,
            question=cadrage.question_set.questions.get(number=1 + index % 5),
            body=f"Commentaire {index}",
        )


def fill_faisabilite(world, size):
    cadrage = world.draft_project.deliverables.get(kind="cadrage")
    start = datetime.date(2026, 1, 1)
    for index in range(size):
        stakeholder = Stakeholder.objects.create(deliverable=cadrage, name=f"Partie {index}", family="elu")
        step = Step.objects.create(
            deliverable=world.draft,
            title=f"Étape {index}",
            start=start + datetime.timedelta(days=7 * index),
            end=start + datetime.timedelta(days=7 * index + 20),
        )
        Responsibility.objects.create(step=step, stakeholder=stakeholder, level="R")
        for origin in MeansOrigin:
            Means.objects.create(
                deliverable=world.draft,
                origin=origin,
                kind=MeansKind.FINANCIAL,
                description="€",
                amount=index,
            )


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("role", ["agent", "facilitator"])
def test_the_cadrage_page_reads_as_many_queries_with_5_or_50_rows_and_comments(
    role, world, client_for, django_assert_max_num_queries
):
    cadrage = open_cadrage(world)
    url = reverse("projects:deliverable", args=[cadrage.project_id, cadrage.kind])
    client = client_for(role)
    client.get(url)  # the session's first request writes more than the next ones
    fill_cadrage(world, cadrage, 5)
    small = count_queries(client, url)
    fill_cadrage(world, cadrage, 45)
    with django_assert_max_num_queries(MAX_QUERIES):
        large = count_queries(client, url)
    assert large == small


@pytest.mark.parametrize("role", ["agent", "elu"])
def test_the_faisabilite_page_reads_as_many_queries_with_5_or_50_steps_and_means(
    role, world, client_for, django_assert_max_num_queries
):
    url = reverse("projects:deliverable", args=[world.draft_project.pk, world.draft.kind])
    client = client_for(role)
    client.get(url)  # the session's first request writes more than the next ones
    fill_faisabilite(world, 5)
    small = count_queries(client, url)
    fill_faisabilite(world, 45)
    with django_assert_max_num_queries(MAX_QUERIES):
        large = count_queries(client, url)
    assert large == small
