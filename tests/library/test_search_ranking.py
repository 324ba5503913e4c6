"""A search on a very common word: all matches are counted, the best ones are ranked by id up to a cap, the
pages are cut from those ids, and the page says honestly how many match and how many are shown."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.urls import reverse

from library import selectors, views
from library.access import resources_visible_to

from .factories import make_resource

pytestmark = pytest.mark.django_db
LIST = reverse("library:list")


@pytest.fixture
def publish(agent, admin_user):
    def make(**fields):
        return make_resource(agent, status="published", publisher=admin_user, **fields)

    return make


@pytest.fixture
def common_word(publish):
    """The best match first published, so that it is the oldest: newest first would show it last."""
    best = publish(title="La coopération", summary="Raconter la coopération.")
    others = [
        publish(title=f"Fiche n°{n}", summary="Une fiche.", body=f"Un mot sur la coopération, n°{n}.")
        for n in range(6)
    ]
    return best, others


def ranking(text):
    filters = selectors.Filters(query=selectors.search_query(text))
    return selectors.rank(resources_visible_to(AnonymousUser()), filters, cap=3)


def test_the_ranking_keeps_the_order_of_the_full_search_up_to_the_cap(common_word):
    filters = selectors.Filters(query=selectors.search_query("cooperation"))
    everything = list(selectors.search(resources_visible_to(AnonymousUser()), filters))

    found = ranking("cooperation")

    assert found.ids == [resource.pk for resource in everything[:3]]
    assert found.total == 7
    assert found.capped


def test_a_ranking_without_match_is_empty_and_not_capped(common_word):
    found = ranking("photovoltaïque")

    assert (found.ids, found.total, found.capped) == ([], 0, False)


def test_the_best_match_comes_first_when_the_matches_exceed_the_cap(common_word, client, monkeypatch):
    best, _others = common_word
    monkeypatch.setattr(selectors, "RANK_CAP", 3)

    response = client.get(LIST, {"q": "coopération"})

    page = list(response.context["page"])
    assert page[0] == best
    assert len(page) == 3
    assert "<mark>coopération</mark>" in str(page[0].excerpt)


def test_the_count_says_how_many_match_and_how_many_are_shown_when_capped(common_word, client, monkeypatch):
    monkeypatch.setattr(selectors, "RANK_CAP", 3)

    content = client.get(LIST, {"q": "coopération"}).content.decode()

    assert "7 ressources pour « coopération »" in content
    assert "Les 3 plus pertinentes sont présentées" in content


def test_the_count_has_no_cap_note_when_every_match_is_shown(common_word, client):
    content = client.get(LIST, {"q": "coopération"}).content.decode()

    assert "7 ressources pour « coopération »" in content
    assert "plus pertinentes" not in content
    content = client.get(LIST, {"q": "raconter"}).content.decode()
    assert "1 ressource pour « raconter »" in content


def test_the_pages_are_cut_from_the_ranked_ids(common_word, client, monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    filters = selectors.Filters(query=selectors.search_query("coopération"))
    everything = list(selectors.search(resources_visible_to(AnonymousUser()), filters))

    second = client.get(LIST, {"q": "coopération", "page": 2}).context["page"]
    beyond = client.get(LIST, {"q": "coopération", "page": 99}).context["page"]

    assert list(second) == everything[2:4]
    assert all(resource.excerpt for resource in second)
    assert (beyond.number, list(beyond)) == (4, everything[6:])


def test_the_index_setting_holds_inside_the_block_only():
    def seqscan():
        with connection.cursor() as cursor:
            cursor.execute("SHOW enable_seqscan")
            return cursor.fetchone()[0]

    with selectors.through_the_index():
        inside = seqscan()

    assert (inside, seqscan()) == ("off", "on")
