"""French full-text search: accents and word endings ignored, ranking, highlighted excerpts that cannot carry
markup, facets, and a search vector kept up to date by the services."""

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse

from core.models import Theme
from library import selectors, services
from library.access import resources_visible_to
from library.models import Resource, ResourceKind
from territories.access import territories_visible_to

from ..factories import TerritoryFactory
from .factories import make_resource

pytestmark = pytest.mark.django_db
LIST = reverse("library:list")


@pytest.fixture
def publish(agent, admin_user):
    def make(**fields):
        return make_resource(agent, status="published", publisher=admin_user, **fields)

    return make


def found(text, user=None):
    from django.contrib.auth.models import AnonymousUser

    filters = selectors.Filters(query=selectors.search_query(text))
    return list(selectors.search(resources_visible_to(user or AnonymousUser()), filters))


def test_the_french_configuration_ignores_accents_and_word_endings():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT to_tsvector('french_unaccent', 'La coopération des territoires') "
            "@@ websearch_to_tsquery('french_unaccent', 'cooperation territoire')"
        )
        assert cursor.fetchone()[0] is True


def test_cooperation_without_accents_finds_the_resource_about_coopération(publish):
    wanted = publish(title="Mettre les conflits au travail", body="Faciliter la coopération entre agents.")
    publish(title="Le festival Explore Demain", summary="Un festival de l'alliance.")

    assert found("cooperation") == [wanted]
    assert found("COOPÉRATIONS") == [wanted]


def test_word_endings_do_not_matter(publish):
    wanted = publish(title="Former les territoires à l'approche systémique")

    assert found("territoire systemique") == [wanted]


def test_a_word_of_the_title_ranks_above_the_same_word_in_the_text(publish):
    in_body = publish(title="Raconter la coopération", body="Une page sur le schéma actantiel de Greimas.")
    in_title = publish(title="Le schéma actantiel", body="Destinateur, sujet, objet, quête.")
    in_summary = publish(title="Les adjuvants", summary="Une partie du schéma actantiel.")

    assert found("schema actantiel") == [in_title, in_summary, in_body]


def test_themes_territories_and_credits_are_searched_too(publish, world_free_territory):
    by_theme = publish(title="Une fiche", themes=["mobilite"])
    by_territory = publish(title="Une autre fiche", territories=[world_free_territory])
    by_credits = publish(title="Évaluer la valeur créée", credits="ATEMIS")

    assert found("mobilité") == [by_theme]
    assert found("Ségala") == [by_territory]
    assert found("atemis") == [by_credits]


@pytest.fixture
def world_free_territory():
    # Published: the names of private territories are left out of the search (see test_visibility).
    return TerritoryFactory(name="Carmausin-Ségala", is_published=True)


def test_a_theme_is_found_by_its_english_name_too(publish):
    by_theme = publish(title="Une fiche", themes=["habitat-renovation"])
    publish(title="Une autre fiche", themes=["energie"])

    assert found("housing") == [by_theme]


def test_the_list_names_each_resource_s_themes_and_territories_in_the_reader_s_language(
    publish, client, world_free_territory
):
    publish(title="Une fiche", themes=["habitat-renovation", "energie"], territories=[world_free_territory])
    tags = '<span class="resource-tag">Énergie</span> <span class="resource-tag">Habitat et rénovation</span>'
    assert tags in client.get(LIST).content.decode()
    territory = '<span class="resource-tag resource-tag-territory">Carmausin-Ségala</span>'
    assert territory in client.get(LIST, {"q": "fiche"}).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert '<span class="resource-tag">Housing and renovation</span>' in client.get(LIST).content.decode()


def test_a_renamed_theme_is_found_by_its_new_names(publish):
    resource = publish(title="Une fiche", themes=["energie"])
    theme = Theme.objects.get(slug="energie")
    theme.name, theme.name_en = "Sobriété énergétique", "Sufficiency"
    theme.save()

    assert found("sobriété") == [resource]
    assert found("sufficiency") == [resource]


def test_the_search_vector_follows_each_change_made_through_the_services(publish, agent, admin_user):
    resource = publish(title="La note d'intention")
    assert found("intention") == [resource]

    services.resource_update(
        actor=admin_user,
        resource=resource,
        fields={"title": "La note de cadrage"},
        themes=[Theme.objects.get(slug="gouvernance")],
    )

    assert found("intention") == []
    assert found("cadrage") == [resource]
    assert found("gouvernance") == [resource]


def test_reindex_rewrites_the_vectors_of_rows_loaded_in_bulk(agent):
    Resource.objects.bulk_create(
        Resource(title=f"Fiche {n} sur la mobilité", kind=ResourceKind.TOOL, summary="…") for n in range(3)
    )
    assert Resource.objects.filter(search_vector__isnull=True).count() == 3

    assert services.resource_reindex(Resource.objects.all()) == 3

    assert Resource.objects.filter(search_vector="mobilite").count() == 3


def test_the_search_vector_has_a_gin_index():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'resource_search_gin'")
        (definition,) = cursor.fetchone()
    assert "USING gin (search_vector)" in definition


def test_the_excerpt_marks_the_words_found(publish, client):
    publish(title="Le diagnostic", body="Un diagnostic partagé révèle deux visions contradictoires du Pôle.")

    response = client.get(LIST, {"q": "visions contradictoires"})

    assert "<mark>visions</mark> <mark>contradictoires</mark>" in response.content.decode()


def test_html_in_a_resource_is_shown_as_text_in_the_excerpt_never_as_markup(publish, client):
    publish(
        title="Une ressource piégée",
        body='<img src=x onerror="alert(1)"> la coopération <script>alert(2)</script> & <b>gras</b>',
    )

    content = client.get(LIST, {"q": "coopération"}).content.decode()
    excerpt = content.split('class="excerpt"', 1)[1].split("</p>", 1)[0]

    assert "<mark>coopération</mark>" in excerpt
    for forbidden in ("<img", "<script", "<b>", "onerror"):
        assert forbidden not in excerpt


def test_markers_typed_in_a_text_make_no_markup_but_marks():
    start, stop = selectors.START, selectors.STOP
    excerpt = selectors.mark_excerpt(f"{start}coopération{stop} <b>gras</b> {stop}a & b{start}")

    assert str(excerpt) == "<mark>coopération</mark> gras a &amp; b"


@pytest.mark.parametrize(
    "text", ["&&", "!(", "'", ":*", '"', "-", "or or", "a <-> b", "\x02", "\u202e", "x" * 500, "()|!"]
)
def test_any_query_gives_a_page_never_an_error(publish, client, text):
    publish(title="La coopération")

    response = client.get(LIST, {"q": text})

    assert response.status_code == 200


def test_facets_count_the_matching_resources_by_kind_theme_and_territory(publish):
    tarn = TerritoryFactory(name="Pôle Territorial (Tarn)", is_published=True)
    publish(
        title="Coopération 1", kind=ResourceKind.TOOL, themes=["cooperation-management"], territories=[tarn]
    )
    publish(
        title="Coopération 2", kind=ResourceKind.EXPERIENCE, themes=["cooperation-management", "gouvernance"]
    )
    publish(title="Coopération 3", kind=ResourceKind.TOOL, themes=["energie"], territories=[tarn])
    publish(title="Autre chose", summary="Un festival.", kind=ResourceKind.EVENT, starts_on="2026-05-17")
    from django.contrib.auth.models import AnonymousUser

    visible = resources_visible_to(AnonymousUser())

    facets = selectors.facets(
        visible,
        selectors.Filters(query=selectors.search_query("coopération")),
        territories=territories_visible_to(AnonymousUser()),
    )

    assert [(value, n) for value, _label, n in facets["kinds"]] == [
        ("fiche_outil", 2),
        ("retour_experience", 1),
    ]
    assert [(theme.slug, n) for theme, n in facets["themes"]] == [
        ("energie", 1),
        ("cooperation-management", 2),
        ("gouvernance", 1),
    ]
    assert facets["territories"] == [(tarn.pk, "Pôle Territorial (Tarn)", 2)]


def test_a_chosen_facet_keeps_the_other_values_of_that_facet_in_view(publish, client):
    publish(title="Une méthode", kind=ResourceKind.METHOD, themes=["energie"])
    publish(title="Une fiche outil", kind=ResourceKind.TOOL, themes=["energie"])
    publish(title="Une fiche mobilité", kind=ResourceKind.TOOL, themes=["mobilite"])

    response = client.get(LIST, {"type": "fiche_outil"})

    assert [r.title for r in response.context["page"]] == ["Une fiche mobilité", "Une fiche outil"]
    kinds = {value: n for value, _label, n in response.context["facets"]["kinds"]}
    assert kinds == {"fiche_outil": 2, "methode": 1}
    themes = {theme.slug: n for theme, n in response.context["facets"]["themes"]}
    assert themes == {"energie": 1, "mobilite": 1}


def test_filters_combine_with_the_query(publish, client):
    tarn = TerritoryFactory(name="Pôle Territorial (Tarn)", is_published=True)
    wanted = publish(title="Coopération dans le Tarn", themes=["gouvernance"], territories=[tarn])
    publish(title="Coopération ailleurs", themes=["gouvernance"])
    publish(title="Gouvernance du Tarn", territories=[tarn])

    response = client.get(LIST, {"q": "coopération", "theme": "gouvernance", "territoire": tarn.pk})

    assert list(response.context["page"]) == [wanted]
    assert response.context["territory_name"] == "Pôle Territorial (Tarn)"


def test_filters_that_are_not_understood_are_ignored(publish, client):
    resource = publish(title="La coopération")

    response = client.get(
        LIST, {"type": "inconnu", "theme": "pas-un-theme", "territoire": "abc", "page": "x"}
    )

    assert response.status_code == 200
    assert list(response.context["page"]) == [resource]


def test_without_a_query_the_newest_come_first(publish, client):
    first = publish(title="Première")
    second = publish(title="Seconde")

    assert list(client.get(LIST).context["page"]) == [second, first]


# --- Searches kept in the cache -------------------------------------------------------------------------


def _statements(client, params):
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = client.get(LIST, params)
    assert response.status_code == 200
    return response, [query["sql"] for query in captured.captured_queries]


def _counts_matches(statements):
    return any("OVER ()" in sql or 'COUNT("library_resource_territories"' in sql for sql in statements)


def test_the_same_words_are_ranked_and_counted_once_then_read_from_the_cache(publish, client):
    publish(title="Les zéolithes entre agents")
    first, statements = _statements(client, {"q": "zéolithe"})
    assert _counts_matches(statements)
    # The same words, spaced and cased otherwise: the ranking and the facets are those kept.
    again, statements = _statements(client, {"q": "  Zéolithe "})
    assert not _counts_matches(statements)
    assert [r.title for r in again.context["page"]] == ["Les zéolithes entre agents"]
    assert again.context["total"] == first.context["total"] == 1
    assert again.context["facets"] == first.context["facets"]
    # Other filters are another search.
    _response, statements = _statements(client, {"q": "zéolithe", "type": "fiche_outil"})
    assert _counts_matches(statements)


def test_a_resource_published_after_a_search_is_found_by_the_next_one(publish, client, agent, admin_user):
    publish(title="Les zéolithes entre agents")
    assert client.get(LIST, {"q": "zéolithe"}).context["total"] == 1
    assert client.get(LIST).context["page"].paginator.count == 1
    publish(title="Une zéolithe des communes")
    assert client.get(LIST, {"q": "zéolithe"}).context["total"] == 2
    assert client.get(LIST).context["page"].paginator.count == 2


def test_a_resource_sent_back_after_a_search_is_no_longer_found(publish, client, admin_user):
    resource = publish(title="Les zéolithes entre agents")
    assert client.get(LIST, {"q": "zéolithe"}).context["total"] == 1
    services.resource_send_back(actor=admin_user, resource=resource, message="À reprendre.")
    assert client.get(LIST, {"q": "zéolithe"}).context["total"] == 0


def test_a_theme_added_to_a_resource_after_a_search_is_counted_by_the_next_one(publish, client):
    resource = publish(title="Les zéolithes entre agents")
    client.get(LIST, {"q": "zéolithe"})
    resource.themes.add(Theme.objects.get(slug="energie"))
    themes = client.get(LIST, {"q": "zéolithe"}).context["facets"]["themes"]
    assert [(theme.slug, n) for theme, n in themes] == [("energie", 1)]


def test_members_and_the_public_keep_their_own_searches(world, publish, client, client_for):
    publish(title="La zéolithe ouverte à tous")
    publish(title="La zéolithe entre membres", members_only=True)
    assert client.get(LIST, {"q": "zéolithe"}).context["total"] == 1
    assert client_for("agent").get(LIST, {"q": "zéolithe"}).context["total"] == 2
    assert client.get(LIST, {"q": "zéolithe"}).context["total"] == 1


def test_a_kept_search_shows_each_reader_only_the_territories_they_may_see(world, client, client_for):
    world.resource.territories.add(world.other_territory)  # unpublished, its team: the outsider
    anonymous = client.get(LIST)
    outsider = client_for("outsider").get(LIST)
    names = [[name for _pk, name, _n in r.context["facets"]["territories"]] for r in (anonymous, outsider)]
    assert names == [["Pôle Territorial du Tarn"], ["Autre territoire", "Pôle Territorial du Tarn"]]
    assert "Autre territoire" not in anonymous.content.decode()
