"""The number of queries of the library's pages does not grow with the number of resources."""

import pytest
from django.urls import reverse

from library.models import Bookmark

from .factories import make_resource

pytestmark = pytest.mark.django_db

# Signed in: session, user, the charter check of the alliance's middleware, the unread notifications, the
# session's save (3). Then the membership, and the page's own: the list's count, rows, themes, territories,
# excerpts and facets (types, themes, the theme list, territories); the resource page's resource, rights,
# themes, territories, authors, attachments, related resources, bookmark and history.
LIST_QUERIES = 18
DETAIL_QUERIES = 18
MINE_QUERIES = 12
FEED_QUERIES = 3


@pytest.fixture(params=[3, 30], ids=["3-ressources", "30-ressources"])
def library(request, world):
    agent, admin = world.users["agent"], world.users["admin"]
    for n in range(request.param):
        resource = make_resource(
            agent,
            title=f"Fiche outil n°{n} sur la coopération",
            body="Mettre les conflits au travail, faciliter la coopération. " * 5,
            themes=["cooperation-management", "gouvernance"][: 1 + n % 2],
            territories=[world.territory] if n % 3 else [],
            members_only=n % 4 == 0,
            status="published",
            publisher=admin,
        )
        Bookmark.objects.create(user=world.users["elu"], resource=resource)
        make_resource(agent, title=f"Brouillon n°{n}")
    return world


@pytest.mark.parametrize("role", ["anonymous", "elu"])
@pytest.mark.parametrize("params", [{}, {"q": "coopération"}, {"q": "cooperation", "theme": "gouvernance"}])
def test_the_list_and_search_cost_the_same_whatever_the_number_of_resources(
    library, client_for, django_assert_max_num_queries, role, params
):
    client = client_for(role)
    with django_assert_max_num_queries(LIST_QUERIES):
        response = client.get(reverse("library:list"), params)
    assert len(response.context["page"]) > 0


@pytest.mark.parametrize("role", ["anonymous", "agent", "admin"])
def test_a_resource_page_costs_the_same_whatever_the_number_of_resources(
    library, client_for, django_assert_max_num_queries, role
):
    client = client_for(role)
    with django_assert_max_num_queries(DETAIL_QUERIES):
        response = client.get(library.resource.get_absolute_url())
    assert response.context["related"]


def test_my_space_costs_the_same_whatever_the_number_of_bookmarks_and_drafts(
    library, client_for, django_assert_max_num_queries
):
    for role in ("elu", "agent", "admin"):
        client = client_for(role)
        with django_assert_max_num_queries(MINE_QUERIES):
            client.get(reverse("library:mine"))


def test_the_feed_costs_the_same_whatever_the_number_of_resources(
    library, client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(FEED_QUERIES):
        response = client.get(reverse("library:feed"))
    assert response.status_code == 200
