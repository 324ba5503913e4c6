"""The public site: home, events, accessibility statement, legal notice, sitemap, robots.txt, metadata."""

import re
from datetime import timedelta
from html import unescape

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from alliance.models import MembershipStatus
from library.models import ResourceKind
from pages import services
from pages.models import BlockKey, ContentBlock

from ..factories import MembershipFactory, OrganisationFactory, TerritoryFactory
from ..library.factories import make_resource
from ..test_security import assert_scripts_carry_the_nonce

pytestmark = pytest.mark.django_db


def text_of(response):
    return unescape(response.content.decode())


def meta(response, prop):
    match = re.search(
        rf'<meta (?:property|name)="{re.escape(prop)}" content="([^"]*)"', response.content.decode()
    )
    return unescape(match.group(1)) if match else None


def test_home_presents_the_alliance_the_fundamentals_and_the_fantastiques_without_any_saved_text(client):
    page = text_of(client.get("/"))
    assert "fondée en 2021" in page
    assert "Créer les conditions d'engagement des acteurs" in page
    assert "Évaluer les effets, la valeur créée" in page
    assert "La Femme Invisible" in page and "La Torche" in page and "Mister Fantastique" in page
    assert "Constituer une communauté apprenante pour enrichir un patrimoine commun." in page


def test_home_shows_the_text_an_admin_saved_instead_of_the_default(client, admin_user):
    ContentBlock.objects.create(
        key=BlockKey.FANTASTIQUES, title="Nos quatre familles", body="- **Les élu·es**, souples\n- Les agents"
    )
    response = client.get("/")
    page = response.content.decode()
    assert "Nos quatre familles" in page
    assert "<li><strong>Les élu·es</strong>, souples</li>" in page
    assert "La Femme Invisible" not in page


def test_home_shows_the_next_event_the_latest_public_resources_and_the_published_pilots(client, public_data):
    page = text_of(client.get("/"))
    assert "Prochain événement" in page and "Festival Explore Demain" in page and "Albi" in page
    assert "Le schéma actantiel" in page
    assert "Réservée aux membres" not in page
    assert "Brouillon en cours" not in page
    assert "Pôle Territorial de l'Albigeois" in page and "Territoire pilote depuis 2021" in page
    assert "Territoire confidentiel" not in page


def test_home_without_any_event_says_nothing_of_a_next_one(client, db):
    assert "Prochain événement" not in text_of(client.get("/"))


def test_user_text_of_a_block_is_sanitized(client, admin_user):
    ContentBlock.objects.create(
        key=BlockKey.ALLIANCE,
        title="L'alliance",
        body="<script>alert(1)</script> [lien](javascript:alert(1))",
    )
    page = client.get("/").content.decode()
    assert "<script>alert(1)" not in page
    assert 'href="javascript' not in page


def test_the_kept_home_page_shows_a_saved_text_a_new_resource_pilot_and_member_at_the_next_visit(
    client, public_data, agent, admin_user
):
    before = text_of(client.get("/"))
    members = int(re.search(r"(\d+) organisations? membres?,", before).group(1))
    assert "Guide tout neuf" not in before
    services.content_block_save(
        actor=admin_user, key=BlockKey.FANTASTIQUES, title="Nos quatre familles", body="- Les élu·es"
    )
    make_resource(agent, title="Guide tout neuf", status="published", publisher=admin_user)
    TerritoryFactory(name="Pilote tout neuf", is_pilot=True, pilot_since=2018, is_published=True)
    member = OrganisationFactory(name="Nouvelle alliée")
    MembershipFactory(organisation=member, status=MembershipStatus.ACCEPTED, decided_at=timezone.now())
    after = text_of(client.get("/"))
    assert "Nos quatre familles" in after and "La Femme Invisible" not in after
    assert "Guide tout neuf" in after and "Pilote tout neuf" in after
    assert f"{members + 1} organisations membres," in after


def test_the_kept_home_page_is_rendered_without_a_statement_and_keeps_each_visitor_s_own_parts(
    client_for, public_data, django_assert_max_num_queries
):
    visitor, agent = client_for("anonymous"), client_for("agent")
    visitor.get("/")
    with django_assert_max_num_queries(0):
        kept = visitor.get("/")
    assert "Créer un compte pour adhérer" in text_of(kept) and "Se déconnecter" not in text_of(kept)
    assert_scripts_carry_the_nonce(kept)
    signed_in = text_of(agent.get("/"))
    assert "Adhérer à l'alliance" in signed_in and "Créer un compte pour adhérer" not in signed_in
    assert "Se déconnecter" in signed_in
    visitor.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = text_of(visitor.get("/"))
    assert "Together, taking the transition of territories to scale" in english
    assert "Créer un compte pour adhérer" not in english


def test_events_page_lists_upcoming_and_past_public_events(client, public_data):
    response = client.get(reverse("pages:events"))
    page = text_of(response)
    upcoming, past = page.split("Passés", 1)
    assert "Festival Explore Demain" in upcoming
    assert "Rencontre passée" in past and "Rencontre passée" not in upcoming
    assert "Le schéma actantiel" not in page  # not an event


def test_an_event_still_running_today_is_upcoming(client, agent, admin_user):
    today = timezone.localdate()
    make_resource(
        agent,
        title="Festival en cours",
        kind=ResourceKind.EVENT,
        starts_on=today - timedelta(days=2),
        ends_on=today,
        status="published",
        publisher=admin_user,
    )
    assert "Festival en cours" in text_of(client.get("/")).split("Prochain événement", 1)[1]


def test_accessibility_statement_follows_the_rgaa_structure(client, db):
    page = text_of(client.get(reverse("pages:accessibility")))
    for heading in (
        "Déclaration d'accessibilité",
        "État de conformité",
        "Résultats des tests",
        "Contenus non accessibles",
        "Établissement de cette déclaration d'accessibilité",
        "Retour d'information et contact",
        "Voies de recours",
    ):
        assert f">{heading}</h" in page, heading
    assert "partiellement conforme" in page or "totalement conforme" in page or "non conforme" in page
    assert "Défenseur des droits" in page


def test_legal_page_explains_personal_data_and_links_to_the_person_s_tools(client, db):
    response = client.get(reverse("pages:legal"))
    page = text_of(response)
    assert "Éditeur et hébergeur" in page and "Vos données personnelles" in page and "Cookies" in page
    assert reverse("accounts:privacy") in page


def test_every_page_links_the_legal_pages_in_its_footer(client, db):
    footer = client.get(reverse("alliance:directory")).content.decode().split("<footer", 1)[1]
    for name in ("pages:legal", "pages:accessibility", "pages:open_data", "pages:events"):
        assert f'href="{reverse(name)}"' in footer
    assert re.search(r"Accessibilité : (non|partiellement|totalement) conforme", unescape(footer))


def test_public_pages_have_a_description_and_open_graph_metadata(client, public_data):
    for url, title in (
        ("/", "La Fabrique des Transitions — ensemble, changer d'échelle dans la transition des territoires"),
        (reverse("pages:events"), "Les événements de La Fabrique des Transitions"),
        (reverse("pages:open_data"), "Les données ouvertes de La Fabrique des Transitions"),
    ):
        response = client.get(url)
        assert meta(response, "og:title") == title
        assert meta(response, "og:url") == f"http://testserver{url}"
        assert meta(response, "og:site_name") == "La Fabrique des Transitions"
        assert meta(response, "og:description")
        assert meta(response, "description")


def test_sitemap_lists_the_public_pages_and_objects_only(client, public_data):
    response = client.get(reverse("pages:sitemap"))
    assert response["Content-Type"].startswith("application/xml")
    body = response.content.decode()
    assert body.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    locations = set(re.findall(r"<loc>([^<]+)</loc>", body))
    base = "http://testserver"
    assert f"{base}/" in locations
    assert f"{base}{reverse('alliance:directory')}" in locations
    assert f"{base}{reverse('library:list')}" in locations
    assert f"{base}{public_data.listed.get_absolute_url()}" in locations
    assert f"{base}{public_data.unlisted.get_absolute_url()}" not in locations
    assert f"{base}{public_data.pilot.get_absolute_url()}" in locations
    assert f"{base}{public_data.private.get_absolute_url()}" not in locations
    assert f"{base}{public_data.resource.get_absolute_url()}" in locations
    assert f"{base}{public_data.members_only.get_absolute_url()}" not in locations
    assert f"{base}{public_data.draft.get_absolute_url()}" not in locations


def test_robots_txt_keeps_private_spaces_out_and_points_at_the_sitemap(client, db):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert "Disallow: /mon-espace/" in lines and "Disallow: /comptes/" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines


def _more_public_data(n):
    for i in range(n):
        TerritoryFactory(name=f"Pilote {i}", is_pilot=True, pilot_since=2020, is_published=True)


@pytest.mark.parametrize("extra", [0, 30])
def test_home_query_count_does_not_grow_with_data(client, public_data, extra, django_assert_max_num_queries):
    _more_public_data(extra)
    with django_assert_max_num_queries(10):
        assert client.get("/").status_code == 200


@pytest.mark.parametrize("extra", [0, 30])
def test_sitemap_query_count_does_not_grow_with_data(
    client, public_data, extra, django_assert_max_num_queries
):
    _more_public_data(extra)
    with django_assert_max_num_queries(6):
        assert client.get(reverse("pages:sitemap")).status_code == 200


def test_directory_territory_and_organisation_pages_describe_themselves_to_search_engines(
    client, public_data
):
    directory = client.get(reverse("alliance:directory"))
    assert meta(directory, "og:title") == "Les allié·es de La Fabrique des Transitions"
    assert meta(directory, "description").startswith("L'annuaire des allié·es")
    pilot = client.get(public_data.pilot.get_absolute_url())
    assert meta(pilot, "og:title") == "Pôle Territorial de l'Albigeois"
    assert meta(pilot, "description") == "Un territoire rural du Tarn : 5 EPCI, 100 communes."
    organisation = client.get(public_data.listed.get_absolute_url())
    assert meta(organisation, "og:title") == "Réseau Territoires en transition"
    assert meta(organisation, "og:description") == "Une organisation engagée."


def test_home_and_open_data_announce_the_resources_atom_feed(client, public_data):
    feed = reverse("library:feed")
    for url in ("/", reverse("pages:open_data")):
        page = client.get(url).content.decode()
        assert f'<link rel="alternate" type="application/atom+xml" href="{feed}"' in page
        assert f'<a href="{feed}">' in page


def test_every_page_names_its_icon_so_browsers_do_not_ask_for_a_missing_favicon(client):
    from django.contrib.staticfiles import finders

    page = client.get(reverse("pages:home")).content.decode()
    icon = re.search(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', page)
    assert icon and icon.group(1).endswith(".svg")
    assert finders.find("favicon.svg")
