"""The deliverable page reads a fixed number of queries whatever the number of rows and comments."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from projects import services
from projects.models import (
    Answer,
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


# The budget is 7 statements with BEGIN and COMMIT, which the test's own transaction turns into
# savepoints left out here: the session, the person, the note with the rights, the answer's UPDATE and its
# revision.
AUTOSAVE_MAX_STATEMENTS = 5


def fill_draft_history(world, size):
    """`size` saved versions of each answer of the draft and `size` comments on it."""
    agent = world.users["agent"]
    for question in world.draft.question_set.questions.all()[:3]:
        for index in range(size):
            answer = Answer.objects.filter(deliverable=world.draft, question=question).first()
            services.answer_save(
                actor=agent,
                deliverable=world.draft,
                question=question,
                text=f"Version {index} de la réponse {question.number}.",
                base_version=answer.version if answer else 0,
            )
    for index in range(size):
        services.comment_add(
            actor=world.users["dgs"], deliverable=world.draft, body=f"Remarque {index}", question=None
        )


def statements(queries) -> list[str]:
    """The statements a request sends, without the savepoints that stand here for its transactions'
    BEGIN and COMMIT (the test runs inside a transaction of its own)."""
    return [q["sql"] for q in queries.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))]


def autosave_statements(client, draft, number):
    answer = Answer.objects.get(deliverable=draft, question__number=number)
    url = reverse("projects:answer_save", args=[draft.project_id, draft.kind, number])
    data = {"text": f"Une frappe de plus sur la version {answer.version}.", "version": answer.version}
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url, data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200, response.content
    assert Answer.objects.get(pk=answer.pk).version == answer.version + 1
    return statements(queries)


def test_an_autosave_sends_as_few_statements_with_5_or_50_saved_versions_and_comments(world, client_for):
    client = client_for("agent")
    fill_draft_history(world, 5)
    autosave_statements(client, world.draft, 1)  # the session's first request writes more than the next ones
    small = autosave_statements(client, world.draft, 2)
    fill_draft_history(world, 45)
    large = autosave_statements(client, world.draft, 3)
    assert len(large) == len(small) <= AUTOSAVE_MAX_STATEMENTS, "\n".join(large)


PAGE_MAX_STATEMENTS = 12


def fill_submitted_cadrage(world, size):
    """`size` threads on the submitted note de cadrage, each with a reply, every third resolved, each
    mentioning the DGS; and as many rows of each of its structured parts, criteria tied to objectives."""
    cadrage, users = world.cadrage, world.users
    questions = list(cadrage.question_set.questions.all())
    for index in range(size):
        root = services.comment_add(
            actor=users["facilitator"],
            deliverable=cadrage,
            question=questions[index % len(questions)] if index % 4 else None,
            body=f"Remarque {index} pour @Dominique DGS",
            mentioned=[users["dgs"]],
            allowed_mentions=[users["dgs"]],
        )
        services.comment_add(actor=users["agent"], deliverable=cadrage, body=f"Réponse {index}", parent=root)
        if index % 3 == 0:
            services.comment_resolve(actor=users["agent"], comment=root)
        Stakeholder.objects.create(deliverable=cadrage, name=f"Partie {index}", family="agent")
        objective = Objective.objects.create(
            deliverable=cadrage, kind=ObjectiveKind.QUALITATIVE, title=f"Objectif {index}"
        )
        criterion = SuccessCriterion.objects.create(deliverable=cadrage, text=f"Critère {index}")
        criterion.objectives.add(objective)


def page_statements(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return statements(queries)


@pytest.mark.parametrize("role", ["facilitator", "agent", "elu"])
def test_the_page_of_a_note_under_review_sends_at_most_12_statements_with_5_or_50_threads(
    role, world, client_for
):
    url = reverse("projects:deliverable", args=[world.project.pk, world.cadrage.kind])
    client = client_for(role)
    client.get(url)  # the session's first request writes more than the next ones
    fill_submitted_cadrage(world, 5)
    small = page_statements(client, url)
    fill_submitted_cadrage(world, 45)
    large = page_statements(client, url)
    assert len(large) == len(small) <= PAGE_MAX_STATEMENTS, "\n".join(large)
