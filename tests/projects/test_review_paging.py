"""A note under review shows the first open threads of each question (and of the whole note) and of its
summary; « voir plus » shows the next ones, as a plain link and with htmx; every link to a comment lands on
it, wherever its thread stands (projects.review.Paging)."""

import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from notifications.models import Notification
from projects import services
from projects.models import Comment
from projects.review import SUMMARY_PER_PAGE, THREADS_PER_PAGE

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
PAGE_MAX_STATEMENTS = 12


def _page_url(world, **query):
    url = reverse("projects:deliverable", args=[world.project.pk, world.cadrage.kind])
    return url + ("?" + "&".join(f"{key}={value}" for key, value in query.items()) if query else "")


def _open_threads(world, count, number=2, *, start=0):
    """`count` open threads on question `number` of the note under review, each with a reply of the team,
    oldest first: « Fil n » and « Réponse au fil n »."""
    cadrage, users = world.cadrage, world.users
    question = cadrage.question_set.questions.get(number=number)
    version = cadrage.versions.get()
    roots = Comment.objects.bulk_create(
        Comment(
            deliverable=cadrage,
            question=question,
            version=version,
            author=users["facilitator"],
            body=f"Fil {n}.",
        )
        for n in range(start + 1, start + count + 1)
    )
    Comment.objects.bulk_create(
        Comment(
            deliverable=cadrage,
            question=question,
            parent=root,
            version=version,
            author=users["agent"],
            body=f"Réponse au fil {n}.",
        )
        for n, root in enumerate(roots, start=start + 1)
    )
    return question, roots


def _text(response) -> str:
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def _shown(page) -> set[int]:
    """The numbers of the « Fil n » threads whose messages the page shows."""
    return {int(n) for n in re.findall(r"<p>Fil (\d+)\.</p>", page)}


def test_a_question_shows_its_first_open_threads_then_a_more_link_then_its_resolved_ones(world, client_for):
    question, roots = _open_threads(world, 25)
    services.comment_resolve(actor=world.users["agent"], comment=roots[0])
    page = _text(client_for("facilitator").get(_page_url(world)))
    assert _shown(page) == set(range(2, 2 + THREADS_PER_PAGE))
    more = _page_url(world, fils=f"q{question.pk}", pages=2)
    following = roots[1 + THREADS_PER_PAGE]
    assert f'<a href="{more}#commentaire-{following.pk}" data-hx-get="{more}"' in page
    assert "Voir 10 discussions ouvertes de plus" in page and "(14 restantes)" in page
    # The resolved thread, one line after the open ones, with the anchors of its two comments.
    block = page[page.index(f'id="discussion-q{question.pk}"') :]
    assert block.index(more) < block.index("Discussion résolue par Antoine Agent (2 messages)")
    assert f'<span id="commentaire-{roots[0].pk}"></span>' in block
    # The next page keeps the threads' numbers among all those of the question, the resolved one counted.
    fragment = _text(client_for("facilitator").get(more, HTTP_HX_REQUEST="true"))
    assert _shown(fragment) == set(range(12, 22))
    assert '<span class="visually-hidden"> — la discussion 12 sur la question 2</span>' in fragment


def test_without_javascript_the_more_link_shows_the_next_page_below_the_first(world, client_for):
    question, roots = _open_threads(world, 25)
    page = _text(client_for("agent").get(_page_url(world, fils=f"q{question.pk}", pages=2)))
    assert _shown(page) == set(range(1, 1 + 2 * THREADS_PER_PAGE))
    assert _page_url(world, fils=f"q{question.pk}", pages=3) + f"#commentaire-{roots[20].pk}" in page
    assert "(5 restantes)" in page


def test_with_htmx_the_more_link_brings_the_next_page_alone_and_the_following_link(world, client_for):
    question, roots = _open_threads(world, 25)
    client = client_for("agent")
    fragment = _text(client.get(_page_url(world, fils=f"q{question.pk}", pages=2), **HTMX))
    assert "<html" not in fragment
    assert _shown(fragment) == set(range(11, 21))
    # The first thread brought takes the focus (review.js); the next link follows the page.
    assert fragment.startswith('<li class="review-thread" tabindex="-1" data-focus-on-load>')
    assert f'data-hx-get="{_page_url(world, fils=f"q{question.pk}", pages=3)}"' in fragment
    # Its replies and actions are there as on the page.
    assert "Réponse au fil 11." in fragment and "Marquer comme résolue" in fragment
    last = _text(client.get(_page_url(world, fils=f"q{question.pk}", pages=3), **HTMX))
    assert _shown(last) == set(range(21, 26)) and "threads-more" not in last
    # A page past the end (threads resolved since) takes the link away.
    assert _text(client.get(_page_url(world, fils=f"q{question.pk}", pages=4), **HTMX)).strip() == ""


def test_a_link_to_a_reply_on_a_later_page_lands_on_it(world, client_for):
    _question, roots = _open_threads(world, 25)
    reply = services.comment_add(
        actor=world.users["agent"], deliverable=world.cadrage, body="Voici les chiffres.", parent=roots[23]
    )
    client = client_for("facilitator")
    assert f'id="commentaire-{reply.pk}"' not in _text(client.get(_page_url(world)))
    # The notification (and its e-mail) leads through the page that shows the thread.
    url = Notification.objects.filter(recipient=world.users["facilitator"]).latest("pk").url
    assert url == _page_url(world, discussion=roots[23].pk) + f"#commentaire-{reply.pk}"
    page = _text(client.get(url))
    assert f'<article class="comment" id="commentaire-{reply.pk}">' in page
    # Its question shows its threads down to the page of the 24th: all 25.
    assert _shown(page) == set(range(1, 26))


def test_a_comment_posted_with_htmx_beyond_the_first_page_comes_back_in_its_block(world, client_for):
    question, _roots = _open_threads(world, 25)
    response = client_for("agent").post(
        reverse("projects:comment_add", args=[world.project.pk, world.cadrage.kind]),
        {"body": "Un fil de plus.", "question": question.pk},
        **HTMX,
    )
    fragment = _text(response)
    comment = Comment.objects.get(body="Un fil de plus.")
    assert f'<article class="comment" id="commentaire-{comment.pk}">' in fragment


def test_the_summary_lists_first_the_threads_waiting_for_the_reader_and_links_each_to_its_comment(
    world, client_for
):
    question, roots = _open_threads(world, 25)
    # The last thread is the only one whose last word is the facilitator's: it waits for the team.
    services.comment_add(
        actor=world.users["facilitator"], deliverable=world.cadrage, body="Et alors ?", parent=roots[-1]
    )
    client = client_for("agent")
    page = _text(client.get(_page_url(world)))
    summary = page[page.index('id="discussions-ouvertes"') : page.index('id="question-1"')]
    assert "26 discussions ouvertes" in summary and "2 attendent votre réponse" in summary
    links = re.findall(r'<li class="open-thread[^"]*">\n  <a href="([^"]+)"', summary)
    assert len(links) == SUMMARY_PER_PAGE
    # The world's thread and the last one wait: first, each through the page that shows it when this one
    # does not.
    assert links[:2] == [
        f"#commentaire-{world.comment.pk}",
        _page_url(world, discussion=roots[-1].pk) + f"#commentaire-{roots[-1].pk}",
    ]
    assert links[2] == f"#commentaire-{roots[0].pk}"
    more = _page_url(world, fils="resume", pages=2)
    assert f'<a href="{more}#discussions-ouvertes" data-hx-get="{more}"' in summary
    fragment = _text(client.get(more, **HTMX))
    assert fragment.count('<li class="open-thread') == SUMMARY_PER_PAGE
    assert "threads-more" in fragment and "<html" not in fragment
    # Without JavaScript, the page lists the first two pages.
    page = _text(client.get(more))
    assert page.count('<li class="open-thread') == 2 * SUMMARY_PER_PAGE


def test_a_query_string_naming_nothing_shows_the_page_as_it_is(world, client_for):
    client = client_for("agent")
    plain = _shown(_text(client.get(_page_url(world))))
    for query in (
        {"fils": "q", "pages": "2"},
        {"fils": "x9", "pages": "-1"},
        {"fils": "q99999999999999999999999"},
        {"discussion": "99999999999999999999999"},
        {"discussion": world.comment.pk + 1000},
    ):
        assert _shown(_text(client.get(_page_url(world, **query)))) == plain, query


def _statements(client, url, **extra) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **extra)
    assert response.status_code == 200
    return [q["sql"] for q in queries.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))]


@pytest.mark.parametrize("role", ["facilitator", "agent"])
def test_the_pages_of_threads_send_as_many_statements_with_15_or_45_threads_on_a_question(
    world, client_for, role
):
    client = client_for(role)
    client.get(_page_url(world))  # the session's first request writes more than the next ones
    question, roots = _open_threads(world, 15)

    def counts(last):
        return [
            len(_statements(client, _page_url(world))),
            len(_statements(client, _page_url(world, discussion=last.pk))),
            len(_statements(client, _page_url(world, fils=f"q{question.pk}", pages=2), **HTMX)),
            len(_statements(client, _page_url(world, fils="resume", pages=2), **HTMX)),
        ]

    small = counts(roots[-1])
    _question, more = _open_threads(world, 30, start=15)
    large = counts(more[-1])
    assert large == small
    assert max(large) <= PAGE_MAX_STATEMENTS


def test_the_review_page_pages_its_threads_through_its_own_address(world, client_for):
    question, roots = _open_threads(world, 15)
    review = reverse("projects:review", args=[world.project.pk, world.cadrage.kind])
    client = client_for("facilitator")
    page = _text(client.get(review))
    more = f"{review}?fils=q{question.pk}&pages=2"
    assert f'<a href="{more}#commentaire-{roots[10].pk}" data-hx-get="{more}"' in page
    fragment = _text(client.get(more, **HTMX))
    assert _shown(fragment) == set(range(11, 16))
    # Its forms bring the reader back to the review page.
    assert 'name="return_to" value="review"' in fragment
