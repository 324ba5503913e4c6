"""Who sees what: published resources are public, or for the alliance's members when marked so; drafts and
resources under review are for their authors and the publishers only."""

import json

import pytest
from django.conf import settings
from django.urls import reverse

from library.access import is_alliance_member
from library.selectors import published_resources

pytestmark = pytest.mark.django_db
LIST = reverse("library:list")


def detail(resource):
    return reverse("library:detail", args=[resource.pk])


def titles(response):
    return {resource.title for resource in response.context["page"]}


@pytest.mark.parametrize(
    ("role", "member"),
    [
        ("anonymous", False),
        ("outsider", False),
        ("dgs", False),  # a candidate membership only
        ("agent", True),  # through the organisation they belong to
        ("elu", True),  # a personal membership
        ("facilitator", True),
        ("admin", True),
    ],
)
def test_alliance_members_are_accepted_members_facilitators_and_admins(world, role, member):
    from django.contrib.auth.models import AnonymousUser

    assert is_alliance_member(world.users[role] or AnonymousUser()) is member


@pytest.mark.parametrize("role", ["anonymous", "outsider", "dgs"])
def test_the_public_list_shows_only_published_resources_open_to_all(world, client_for, role):
    response = client_for(role).get(LIST)

    assert titles(response) == {world.resource.title, world.public_event.title}


@pytest.mark.parametrize("role", ["agent", "elu", "facilitator", "admin"])
def test_members_also_see_the_resources_reserved_to_members(world, client_for, role):
    response = client_for(role).get(LIST)

    assert titles(response) == {world.resource.title, world.public_event.title, world.members_resource.title}


def test_drafts_and_resources_under_review_are_never_listed_even_to_publishers(world, client_for):
    content = client_for("admin").get(LIST).content.decode()

    assert world.draft_resource.title not in content
    assert world.review_resource.title not in content


def test_a_members_only_resource_asks_anonymous_visitors_to_log_in(world, client):
    response = client.get(detail(world.members_resource))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse(settings.LOGIN_URL))


@pytest.mark.parametrize("role", ["outsider", "dgs"])
def test_a_members_only_resource_is_refused_to_accounts_outside_the_alliance(world, client_for, role):
    assert client_for(role).get(detail(world.members_resource)).status_code == 403


@pytest.mark.parametrize("role", ["elu", "facilitator"])
def test_a_members_only_resource_is_read_by_members(world, client_for, role):
    response = client_for(role).get(detail(world.members_resource))

    assert response.status_code == 200
    assert "Réservée aux membres de l'alliance" in response.content.decode()


@pytest.mark.parametrize("role", ["anonymous", "outsider", "elu", "dgs"])
def test_a_draft_does_not_exist_for_those_who_did_not_write_it(world, client_for, role):
    for resource in (world.draft_resource, world.review_resource):
        assert client_for(role).get(detail(resource)).status_code == 404


@pytest.mark.parametrize("role", ["agent", "facilitator", "admin"])
def test_a_draft_is_read_by_its_author_and_the_publishers(world, client_for, role):
    response = client_for(role).get(detail(world.draft_resource))

    assert response.status_code == 200
    assert "Ce brouillon n'est visible que de ses auteur·ices" in response.content.decode()


@pytest.mark.parametrize("role", ["anonymous", "outsider"])
def test_attachments_follow_their_resource(world, client_for, role):
    public = reverse("library:attachment", args=[world.resource.pk, world.attachment.pk])
    draft = reverse("library:attachment", args=[world.draft_resource.pk, world.draft_attachment.pk])
    # Another resource's attachment under this resource's address is not found.
    mixed = reverse("library:attachment", args=[world.resource.pk, world.draft_attachment.pk])

    assert client_for(role).get(public).status_code == 200
    assert client_for(role).get(draft).status_code == 404
    assert client_for(role).get(mixed).status_code == 404


def test_the_selector_for_public_pages_gives_published_resources_open_to_all(world):
    # Newest first: the world publishes its event after its resource.
    assert list(published_resources()) == [world.public_event, world.resource]


# --- Territories whose profile is not public --------------------------------------------------------------


@pytest.fixture
def private_territory(world):
    """The other territory, unpublished (its team: the outsider), named by the public resource."""
    world.resource.territories.add(world.other_territory)
    return world.other_territory


def _facet_names(response):
    return [name for _pk, name, _n in response.context["facets"]["territories"]]


@pytest.mark.parametrize("role", ["anonymous", "agent", "facilitator"])
def test_the_name_of_a_territory_one_may_not_see_is_shown_nowhere_in_the_library(
    world, client_for, private_territory, role
):
    client = client_for(role)
    listing = client.get(LIST)
    page = client.get(detail(world.resource))

    assert _facet_names(listing) == ["Pôle Territorial du Tarn"]
    assert "Autre territoire" not in listing.content.decode()
    assert [territory.name for territory in page.context["territories"]] == ["Pôle Territorial du Tarn"]
    assert "Autre territoire" not in page.content.decode()


@pytest.mark.parametrize("role", ["outsider", "admin"])
def test_the_team_of_an_unpublished_territory_and_the_admins_see_its_name(
    world, client_for, private_territory, role
):
    client = client_for(role)

    assert "Autre territoire" in _facet_names(client.get(LIST))
    assert "Autre territoire" in client.get(detail(world.resource)).content.decode()


def test_a_bookmarked_resource_shows_only_the_territories_one_may_see(world, client_for, private_territory):
    client = client_for("elu")
    client.post(reverse("library:bookmark", args=[world.resource.pk]))

    response = client.get(reverse("library:mine"))

    assert [r.title for r in response.context["bookmarks"]] == [world.resource.title]
    assert "Autre territoire" not in response.content.decode()


def test_filtering_on_a_territory_one_may_not_see_is_ignored(world, client, private_territory):
    response = client.get(LIST, {"territoire": private_territory.pk})

    assert response.status_code == 200
    assert response.context["filters"].territory_id is None
    assert world.resource.title in titles(response)
    assert response.context["territory_name"] is None


def test_the_open_data_export_lists_only_published_territories(world, client, private_territory):
    response = client.get(reverse("pages:resources_export", args=["json"]))

    record = next(
        r
        for r in json.loads(response.content.decode("utf-8"))["records"]
        if r["title"] == world.resource.title
    )
    assert record["territories"] == ["Pôle Territorial du Tarn"]


def test_a_search_finds_resources_by_a_territory_s_name_only_once_it_is_published(world, client, client_for):
    from library.services import resources_reindex_for_territory

    territory = world.other_territory
    territory.name = "Causse Méjean"
    territory.save(update_fields=["name"])
    world.resource.territories.add(territory)
    resources_reindex_for_territory(territory=territory)
    assert not territory.is_published
    assert list(client.get(LIST, {"q": "Méjean"}).context["page"]) == []

    # An admin publishes the territory: its name now finds the resources linked to it, and so on back.
    pilot = reverse("territories:pilot", args=[territory.pk])
    client_for("admin").post(pilot, {"is_pilot": "", "is_published": "on"})
    territory.refresh_from_db()
    assert territory.is_published
    assert list(client.get(LIST, {"q": "Méjean"}).context["page"]) == [world.resource]
    client_for("admin").post(pilot, {"is_pilot": "", "is_published": ""})
    assert list(client.get(LIST, {"q": "Méjean"}).context["page"]) == []
