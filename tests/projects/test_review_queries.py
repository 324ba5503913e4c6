"""The review costs a fixed number of queries whatever the number of comments, replies and mentions."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from projects import services
from projects.access import get_deliverable_for_user
from projects.models import Comment, PrivateNote
from projects.review import THREADS_PER_PAGE, review_context

pytestmark = pytest.mark.django_db

REVIEW_CONTEXT_MAX = 6


def _add_comments(world, count):
    """`count` comments on the note de cadrage: threads on each question and on the whole note, each with
    replies, some resolved, each mentioning the DGS; and as many private notes."""
    cadrage, users = world.cadrage, world.users
    questions = list(cadrage.question_set.questions.all()) + [None]
    version = cadrage.versions.get()
    roots = Comment.objects.bulk_create(
        Comment(
            deliverable=cadrage,
            question=questions[n % len(questions)],
            version=version,
            author=users["facilitator"],
            body=f"Commentaire {n}",
        )
        for n in range(count // 2)
    )
    replies = Comment.objects.bulk_create(
        Comment(
            deliverable=cadrage,
            question=root.question,
            parent=root,
            version=version,
            author=users["agent"],
            body=f"Réponse à {root.pk}",
        )
        for root in roots[: count - len(roots)]
    )
    services.comment_resolve(actor=users["agent"], comment=roots[0])
    Comment.mentions.through.objects.bulk_create(
        Comment.mentions.through(comment_id=c.pk, user_id=users["dgs"].pk) for c in [*roots, *replies]
    )
    PrivateNote.objects.bulk_create(
        PrivateNote(project=world.project, deliverable=cadrage, author=users["facilitator"], body=f"Note {n}")
        for n in range(count)
    )


def _threads(review) -> list:
    return [thread for block in review["blocks"].values() for thread in [*block.open, *block.resolved]]


def _context_queries(world, role):
    user = world.users[role]
    deliverable, rights = get_deliverable_for_user(user, world.project.pk, world.cadrage.kind)
    with CaptureQueriesContext(connection) as queries:
        review = review_context(deliverable, rights, user)
    return len(queries), review


@pytest.mark.parametrize("role", ["agent", "elu", "facilitator"])
def test_review_context_costs_the_same_with_5_and_500_comments(world, role):
    _add_comments(world, 5 - Comment.objects.count())
    small, review = _context_queries(world, role)
    assert len(_threads(review)) == 3
    Comment.objects.all().delete()
    PrivateNote.objects.all().delete()
    _add_comments(world, 500)
    large, review = _context_queries(world, role)
    assert large == small <= REVIEW_CONTEXT_MAX
    threads = _threads(review)
    # Every thread and reply is known (the page counts, lists and anchors them), the messages read of the
    # open threads the page shows alone.
    assert len(threads) == 250 and sum(t.count - 1 for t in threads) == 250
    shown = [t for t in threads if t.shown and not t.is_resolved]
    assert len(shown) == len(review["blocks"]) * THREADS_PER_PAGE
    assert all(len(t.replies) == 1 for t in shown)
    assert not any(t.replies for t in threads if not t.shown)
    assert (review["private_notes"] is None) == (role != "facilitator")


def _page_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    ("name", "role"),
    [
        ("projects:review", "facilitator"),
        ("projects:deliverable", "facilitator"),
        ("projects:deliverable", "agent"),
        ("projects:versions", "elu"),
    ],
)
def test_the_review_pages_cost_the_same_with_5_and_500_comments(
    world, client_for, name, role, django_assert_max_num_queries
):
    client = client_for(role)
    url = reverse(name, args=[world.project.pk, world.cadrage.kind])
    _add_comments(world, 4)
    client.get(url)  # sessions, content types and the like are cached by the first request
    small = _page_queries(client, url)
    _add_comments(world, 496)
    with django_assert_max_num_queries(small):
        response = client.get(url)
    if name != "projects:versions":
        content = response.content.decode()
        # The first open threads of each block (the questions' and the whole note's) with their reply, the
        # others behind each block's « voir plus »; the resolved ones (the first of each batch, with its
        # reply) anchored in their summary line, loaded when opened. The world's own thread, the oldest on
        # its question, has no reply.
        blocks = world.cadrage.question_set.questions.count() + 1
        assert content.count('<article class="comment"') == 2 * THREADS_PER_PAGE * blocks - 1
        assert content.count('id="commentaire-') == 2 * THREADS_PER_PAGE * blocks - 1 + 4
        # Each block's « voir plus », and the summary's above the note's questions.
        summary = name == "projects:deliverable"
        assert content.count('class="threads-more"') == blocks + summary
