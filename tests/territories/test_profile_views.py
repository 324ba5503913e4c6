"""The territory pages: the list and its filters, creation from the reference data, the public profile, the
private dashboard, the profile and pilot forms, the trajectory, the diagnostic and its recommendations; who
may use each page, French messages on bad input with nothing saved, the timeline SVG, and query counts."""

import html
import re

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import PlatformRole
from alliance.models import MembershipStatus
from reference.models import Commune, Epci
from territories import selectors, services
from territories.charts import trajectory_svg
from territories.models import (
    Diagnostic,
    GovernanceBody,
    GroupingKind,
    Milestone,
    MilestoneKind,
    Recommendation,
    RecommendationStatus,
    TeamMember,
    TeamRole,
    Territory,
    TerritoryKind,
)
from tests.factories import (
    CommuneFactory,
    DepartmentFactory,
    EpciFactory,
    MembershipFactory,
    OrganisationFactory,
    RegionFactory,
    UserFactory,
    png_upload,
)

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    """The page with its entities decoded."""
    return html.unescape(response.content.decode())


def _plain(response) -> str:
    """The page as a reader sees it: tags left out, entities decoded, spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def _client(user=None):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _messages(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def _url(name, territory, *args):
    return reverse(f"territories:{name}", args=[territory.pk, *args])


def _is_login_redirect(response):
    return response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def _unpublish(territory):
    territory.is_published = False
    territory.save(update_fields=["is_published"])


# --- Who may use which page ------------------------------------------------------------------------

PRIVATE_PAGES = ["dashboard", "edit", "pilot", "milestone_add", "diagnostic_edit", "recommendation_add"]


@pytest.mark.parametrize("page", PRIVATE_PAGES)
def test_anonymous_visitors_are_sent_to_the_login_page_from_the_private_pages(page, world, client_for):
    assert _is_login_redirect(client_for("anonymous").get(_url(page, world.territory)))


@pytest.mark.parametrize("page", PRIVATE_PAGES)
def test_an_agent_of_another_territory_is_refused_the_private_pages_of_a_published_one(
    page, world, client_for
):
    assert client_for("outsider").get(_url(page, world.territory)).status_code == 403


@pytest.mark.parametrize("page", ["detail", *PRIVATE_PAGES])
def test_an_unpublished_territory_does_not_exist_for_an_agent_of_another_territory(page, world, client_for):
    _unpublish(world.territory)
    assert client_for("outsider").get(_url(page, world.territory)).status_code == 404


def test_an_unpublished_territory_and_a_missing_one_answer_alike_to_the_public(world, client_for):
    _unpublish(world.territory)
    hidden = client_for("anonymous").get(_url("detail", world.territory))
    missing = client_for("anonymous").get(reverse("territories:detail", args=[999_999]))
    assert hidden.status_code == missing.status_code == 404


@pytest.mark.parametrize("role", ["agent", "dgs", "elu", "facilitator", "admin"])
def test_the_team_its_facilitator_and_the_admins_see_an_unpublished_profile_and_its_dashboard(
    role, world, client_for
):
    _unpublish(world.territory)
    client = client_for(role)
    assert client.get(_url("detail", world.territory)).status_code == 200
    assert client.get(_url("dashboard", world.territory)).status_code == 200


@pytest.mark.parametrize("role", ["dgs", "elu", "facilitator", "outsider"])
def test_only_managers_and_admins_edit_the_profile(role, world, client_for):
    response = client_for(role).post(_url("edit", world.territory), {"description": "Pris la main."})
    assert response.status_code == 403
    world.territory.refresh_from_db()
    assert world.territory.description == ""


@pytest.mark.parametrize("role", ["agent", "dgs", "facilitator", "outsider"])
def test_only_admins_change_the_pilot_status_and_the_publication(role, world, client_for):
    response = client_for(role).post(_url("pilot", world.territory), {"is_pilot": "", "is_published": ""})
    assert response.status_code == 403
    world.territory.refresh_from_db()
    assert world.territory.is_published and world.territory.is_pilot


@pytest.mark.parametrize("role", ["agent", "facilitator", "outsider"])
def test_only_admins_create_territories_and_search_the_reference_data(role, world, client_for):
    client = client_for(role)
    assert client.get(reverse("territories:create")).status_code == 403
    assert client.get(reverse("territories:reference_search"), {"q": "Carmaux"}).status_code == 403


@pytest.mark.parametrize("role", ["agent", "dgs", "elu", "facilitator", "admin"])
def test_the_team_its_facilitator_and_the_admins_contribute_to_the_trajectory(role, world, client_for):
    response = client_for(role).post(
        _url("milestone_add", world.territory),
        {"kind": MilestoneKind.TURNING_POINT, "title": f"Bascule vue par {role}", "start_year": "2021"},
    )
    assert response.status_code == 302
    assert world.territory.milestones.filter(title=f"Bascule vue par {role}").exists()


def test_an_agent_of_another_territory_cannot_delete_a_milestone(world, client_for):
    response = client_for("outsider").post(
        _url("milestone_delete", world.territory, world.milestone.pk), {"confirm": "on"}
    )
    assert response.status_code == 403
    assert Milestone.objects.filter(pk=world.milestone.pk).exists()


def test_a_milestone_is_reached_only_through_its_own_territory(world, client_for):
    other_milestone = Milestone.objects.create(
        territory=world.other_territory, kind=MilestoneKind.OTHER, title="Ailleurs", start_year=2020
    )
    url = _url("milestone_edit", world.territory, other_milestone.pk)
    assert client_for("agent").get(url).status_code == 404
    url = _url("recommendation_edit", world.territory, 999_999)
    assert client_for("agent").get(url).status_code == 404


# --- The list ----------------------------------------------------------------------------------------


def _list(client, **params):
    response = client.get(reverse("territories:list"), params)
    assert response.status_code == 200
    return [t.name for t in response.context["page"].object_list]


def test_the_public_list_shows_published_territories_with_their_figures(world, client_for):
    response = client_for("anonymous").get(reverse("territories:list"))
    text = _text(response)
    assert "Pôle Territorial du Tarn" in text
    assert "Autre territoire" not in text
    assert "Territoire pilote depuis 2021" in text
    assert "Tarn (81)" in text and "Occitanie" in text
    assert re.search(r"3\s000 hab\.", text)


def test_a_team_member_also_lists_their_unpublished_territory_and_an_admin_lists_all(world, client_for):
    assert "Autre territoire" in _list(client_for("outsider"))
    assert "Autre territoire" not in _list(client_for("agent"))
    assert {"Autre territoire", "Pôle Territorial du Tarn"} <= set(_list(client_for("admin")))


def _filter_world():
    """Territories of each kind in two départements of two régions, all published."""
    occitanie = RegionFactory(code="76", name="Occitanie")
    aura = RegionFactory(code="84", name="Auvergne-Rhône-Alpes")
    tarn = DepartmentFactory(code="81", name="Tarn", region=occitanie)
    rhone = DepartmentFactory(code="69", name="Rhône", region=aura)
    albi = CommuneFactory(insee_code="81004", name="Albi", department=tarn, population=49_000)
    lyon_metro = EpciFactory(name="Métropole de Lyon", siren="200046977", kind="MET69")
    CommuneFactory(insee_code="69123", name="Lyon", department=rhone, epci=lyon_metro, population=520_000)
    gaillac = EpciFactory(name="CA Gaillac-Graulhet", siren="200066124", kind="CA")
    CommuneFactory(insee_code="81099", name="Gaillac", department=tarn, epci=gaillac, population=15_000)
    made = {
        "Albi": Territory.objects.create(name="Albi", kind=TerritoryKind.COMMUNE, commune=albi),
        "Lyon": Territory.objects.create(name="Métropole de Lyon", kind=TerritoryKind.EPCI, epci=lyon_metro),
        "Tarn": Territory.objects.create(
            name="Département du Tarn", kind=TerritoryKind.DEPARTMENT, department=tarn
        ),
        "AURA": Territory.objects.create(name="Région AURA", kind=TerritoryKind.REGION, region=aura),
    }
    made["Gaillac"] = services.territory_create(
        actor=None, kind=TerritoryKind.GROUPING, name="Pays de Cocagne", epcis=[gaillac], grouping_kind="pays"
    )
    for territory in made.values():
        territory.is_published = True
        territory.save(update_fields=["is_published"])
    return made


def test_the_list_filters_by_departement_through_the_reference_data(world):
    _filter_world()
    names = _list(_client(), department="81")
    # The commune, the département itself, the grouping of a Tarn EPCI and the EPCI of the world (Tarn).
    assert set(names) == {"Albi", "Département du Tarn", "Pays de Cocagne", "Pôle Territorial du Tarn"}


def test_the_list_filters_by_region_including_the_departements_and_the_region_itself(world):
    _filter_world()
    assert set(_list(_client(), region="84")) == {"Métropole de Lyon", "Région AURA"}
    assert "Département du Tarn" in _list(_client(), region="76")


def test_the_list_filters_by_kind_and_pilot_status_and_searches_names_without_accents(world):
    _filter_world()
    client = _client()
    assert _list(client, kind=TerritoryKind.GROUPING) == ["Pays de Cocagne"]
    assert _list(client, pilot="oui") == ["Pôle Territorial du Tarn"]
    assert "Pôle Territorial du Tarn" not in _list(client, pilot="non")
    assert _list(client, q="pole tarn") == ["Pôle Territorial du Tarn"]
    assert _list(client, q="METROPOLE") == ["Métropole de Lyon"]


def test_the_profile_reads_the_places_of_each_kind_of_territory_as_the_list_does(world):
    made = _filter_world()
    # The grouping's EPCI spans two départements of two régions; an inactive commune adds none.
    gaillac = made["Gaillac"].epcis.get()
    CommuneFactory(insee_code="69001", name="Affoux", department=DepartmentFactory(code="69"), epci=gaillac)
    CommuneFactory(insee_code="12001", department=DepartmentFactory(code="12", name="Aveyron"), epci=gaillac)
    Commune.objects.filter(insee_code="12001").update(is_active=False)
    territories = Territory.objects.filter(pk__in=[t.pk for t in made.values()])
    listed = {t.pk: (t.department_names, t.region_names) for t in selectors.with_places(territories)}

    for territory in made.values():
        places = selectors.profile_records(territory)["places"]
        assert (places["department_names"], places["region_names"]) == listed[territory.pk], territory.name
    assert listed[made["Albi"].pk] == (["Tarn (81)"], ["Occitanie"])
    assert listed[made["Gaillac"].pk] == (["Rhône (69)", "Tarn (81)"], ["Auvergne-Rhône-Alpes", "Occitanie"])
    assert listed[made["Tarn"].pk] == (["Tarn (81)"], ["Occitanie"])
    assert listed[made["AURA"].pk] == ([], ["Auvergne-Rhône-Alpes"])


def test_an_unknown_filter_value_shows_a_message_and_the_other_filters_still_apply(world):
    response = _client().get(reverse("territories:list"), {"department": "999", "q": "autre chose"})
    assert response.status_code == 200
    assert "department" in response.context["form"].errors
    assert list(response.context["page"].object_list) == []


def _populate_territories(start, stop):
    """Territories start..stop-1, published, of every kind in turn, each with its own reference rows."""
    tarn = DepartmentFactory(code="81", name="Tarn")
    indices = list(range(start, stop))
    epcis = Epci.objects.bulk_create(
        [Epci(siren=f"9{i:08d}", name=f"CC de test {i}", kind="CC", population=1000) for i in indices]
    )
    communes = Commune.objects.bulk_create(
        [
            Commune(
                insee_code=f"T{i:04d}",
                name=f"Commune de test {i}",
                population=1000,
                department=tarn,
                region=tarn.region,
                epci=epci,
            )
            for i, epci in zip(indices, epcis, strict=True)
        ]
    )
    kinds = [TerritoryKind.COMMUNE, TerritoryKind.EPCI, TerritoryKind.GROUPING, TerritoryKind.DEPARTMENT]
    territories = []
    for i, epci, commune in zip(indices, epcis, communes, strict=True):
        kind = kinds[i % len(kinds)]
        territories.append(
            Territory(
                name=f"Territoire de test {i:05d}",
                kind=kind,
                commune=commune if kind == TerritoryKind.COMMUNE else None,
                epci=epci if kind == TerritoryKind.EPCI else None,
                department=tarn if kind == TerritoryKind.DEPARTMENT else None,
                is_published=True,
                is_pilot=i % 2 == 0,
                population=1000,
                commune_count=1,
            )
        )
    territories = Territory.objects.bulk_create(territories)
    Territory.epcis.through.objects.bulk_create(
        [
            Territory.epcis.through(territory_id=territory.pk, epci_id=epci.pk)
            for territory, epci in zip(territories, epcis, strict=True)
            if territory.kind == TerritoryKind.GROUPING
        ]
    )


LIST_PARAMS = {
    "all": {},
    "page_2": {"page": "2"},
    "department": {"department": "81"},
    "region": {"region": "76"},
    "kind": {"kind": TerritoryKind.GROUPING},
    "pilot": {"pilot": "oui"},
    "search": {"q": "territoire test"},
    "all_filters": {"q": "test", "department": "81", "region": "76", "pilot": "oui", "kind": "commune"},
}


@pytest.mark.parametrize("role", ["anonymous", "admin"])
@pytest.mark.parametrize("params", sorted(LIST_PARAMS))
def test_the_list_costs_as_many_queries_at_1000_territories_as_at_10(
    params, role, world, client_for, django_assert_max_num_queries
):
    client = client_for(role)
    url = reverse("territories:list")
    _populate_territories(0, 10)
    client.get(url, LIST_PARAMS[params])  # warms the session and the content types
    with CaptureQueriesContext(connection) as small:
        response = client.get(url, LIST_PARAMS[params])
    shown = len(response.context["page"].object_list)

    _populate_territories(10, 1010)
    with django_assert_max_num_queries(len(small)):
        response = client.get(url, LIST_PARAMS[params])
    assert response.status_code == 200
    assert len(response.context["page"].object_list) >= shown > 0


# --- Creation ----------------------------------------------------------------------------------------


@pytest.fixture
def reference(world):
    """A small piece of the official data: Tarn and Aveyron, a few communes and EPCI."""
    occitanie = RegionFactory(code="76", name="Occitanie")
    tarn = DepartmentFactory(code="81", name="Tarn", region=occitanie)
    aveyron = DepartmentFactory(code="12", name="Aveyron", region=occitanie)
    val81 = EpciFactory(name="CC Val 81", siren="248100497", population=7000)
    cordais = EpciFactory(name="CC du Cordais et du Causse", siren="200034064", population=5000)
    for i, epci in enumerate([val81, val81, cordais]):
        CommuneFactory(insee_code=f"8120{i}", name=f"Village {i}", department=tarn, epci=epci, population=700)
    return {
        "occitanie": occitanie,
        "tarn": tarn,
        "aveyron": aveyron,
        "val81": val81,
        "cordais": cordais,
        "albi": CommuneFactory(insee_code="81004", name="Albi", department=tarn, population=49_000),
        "rodez": CommuneFactory(insee_code="12202", name="Rodez", department=aveyron, population=24_000),
        "saint_juery": CommuneFactory(
            insee_code="81257", name="Saint-Juéry", department=tarn, population=6800
        ),
        "saint_affrique": CommuneFactory(
            insee_code="12208", name="Saint-Affrique", department=aveyron, population=8000
        ),
        "old": CommuneFactory(insee_code="81999", name="Ancienne commune", department=tarn, is_active=False),
    }


def _create(client, **data):
    return client.post(reverse("territories:create"), {"manager_role": TeamRole.AGENT, **data})


def test_an_admin_creates_a_commune_from_its_insee_code_typed_without_javascript(reference, client_for):
    response = _create(client_for("admin"), kind="commune", q=" 81004 ")
    territory = Territory.objects.get(commune=reference["albi"])
    assert response.status_code == 302 and response["Location"] == _url("dashboard", territory)
    assert territory.name == "Albi" and territory.population == 49_000 and territory.commune_count == 1


def test_a_commune_found_by_its_name_alone_is_chosen_without_asking(reference, client_for):
    _create(client_for("admin"), kind="commune", q="rodez", name="Ville de Rodez")
    territory = Territory.objects.get(commune=reference["rodez"])
    assert territory.name == "Ville de Rodez"


def test_an_ambiguous_name_offers_the_matching_communes_to_choose_from(reference, client_for):
    client = client_for("admin")
    response = _create(client, kind="commune", q="saint")
    text = _text(response)
    assert response.status_code == 200
    assert "Plusieurs communes correspondent à « saint »" in text
    assert 'name="reference" id="reference-choice-1" value="12208"' in text  # the most populated first
    assert "Saint-Juéry (81257) — Tarn" in text
    assert not Territory.objects.filter(kind="commune").exists()

    _create(client, kind="commune", q="saint", reference="81257")
    assert Territory.objects.filter(commune=reference["saint_juery"]).exists()


def test_a_code_that_matches_nothing_gets_a_clear_message_and_creates_nothing(reference, client_for):
    before = Territory.objects.count()
    response = _create(client_for("admin"), kind="commune", q="99999")
    assert response.status_code == 200
    assert "Aucune commune en vigueur ne correspond à « 99999 »" in _text(response)
    response = _create(client_for("admin"), kind="commune", q="81999")  # merged: inactive
    assert "Aucune commune en vigueur ne correspond" in _text(response)
    assert Territory.objects.count() == before


def test_an_admin_creates_an_epci_a_departement_and_a_region_from_their_codes(reference, client_for):
    client = client_for("admin")
    _create(client, kind="epci", q="Val 81", reference="248100497")
    _create(client, kind="department", q="81")
    _create(client, kind="region", q="76")
    epci = Territory.objects.get(epci=reference["val81"])
    assert (epci.name, epci.commune_count, epci.population) == ("CC Val 81", 2, 1400)
    department = Territory.objects.get(kind="department")
    # The world's three communes, three villages, Albi and Saint-Juéry; the merged one is left out.
    assert department.department == reference["tarn"] and department.commune_count == 8
    region = Territory.objects.get(kind="region")
    assert region.region == reference["occitanie"] and region.commune_count == 10


def test_a_departement_code_without_its_leading_zero_is_understood(reference, client_for):
    ain = DepartmentFactory(code="01", name="Ain", region=reference["occitanie"])
    _create(client_for("admin"), kind="department", q="1")
    assert Territory.objects.filter(department=ain).exists()


def test_a_second_territory_for_the_same_entity_is_refused(reference, client_for):
    client = client_for("admin")
    _create(client, kind="commune", q="81004")
    response = _create(client, kind="commune", q="81004")
    assert "Le territoire « Albi » existe déjà" in _text(response)
    assert Territory.objects.filter(commune=reference["albi"]).count() == 1


def test_an_admin_creates_a_grouping_of_epci_chosen_by_siren_and_by_search(reference, client_for):
    response = _create(
        client_for("admin"),
        kind="grouping",
        name="Pôle Territorial Albigeois",
        grouping_kind=GroupingKind.POLE,
        epcis=["248100497"],
        epci_sirens="200 034 064 CC du Cordais et du Causse\n\n248100497",
    )
    territory = Territory.objects.get(kind="grouping")
    assert response.status_code == 302
    assert set(territory.epcis.all()) == {reference["val81"], reference["cordais"]}
    assert (territory.commune_count, territory.population) == (3, 2100)
    assert territory.grouping_kind == GroupingKind.POLE


def test_a_grouping_with_an_unknown_siren_or_without_a_name_is_refused_with_french_messages(
    reference, client_for
):
    response = _create(
        client_for("admin"), kind="grouping", grouping_kind="petr", epci_sirens="248100497\n123456789\nCC Val"
    )
    text = _text(response)
    assert "Aucun EPCI en vigueur ne porte ce ou ces SIREN : 123456789." in text
    assert "Ces lignes ne contiennent pas de SIREN à 9 chiffres : « CC Val »." in text
    assert "Donnez un nom au regroupement." in text
    # What was typed is kept.
    assert "123456789" in text
    assert not Territory.objects.filter(kind="grouping").exists()


def test_a_grouping_searched_by_name_without_javascript_offers_the_epci_to_check(reference, client_for):
    response = _create(client_for("admin"), kind="grouping", name="PETR", grouping_kind="petr", q="cordais")
    text = _text(response)
    assert "Choisissez au moins un EPCI" in text
    assert 'type="checkbox" name="epcis" id="reference-choice-1" value="200034064"' in text


def test_the_first_manager_is_added_by_the_e_mail_of_an_existing_account(reference, client_for):
    manager = UserFactory(email="dgs.albi@exemple.fr")
    _create(
        client_for("admin"),
        kind="commune",
        q="81004",
        manager_email="DGS.Albi@exemple.fr",
        manager_role="dgs",
    )
    member = TeamMember.objects.get(territory__commune=reference["albi"])
    assert (member.user, member.role, member.is_manager) == (manager, TeamRole.DGS, True)


def test_an_unknown_manager_address_is_a_form_error_and_nothing_is_created(reference, client_for):
    response = _create(client_for("admin"), kind="commune", q="81004", manager_email="personne@exemple.fr")
    assert "Aucun compte n'utilise cette adresse" in _text(response)
    assert not Territory.objects.filter(commune=reference["albi"]).exists()


def test_the_htmx_search_answers_a_fragment_of_at_most_20_active_entities(reference, client_for):
    Commune.objects.bulk_create(
        [
            Commune(
                insee_code=f"V{i:04d}",
                name=f"Villefranche {i}",
                department=reference["aveyron"],
                region=reference["occitanie"],
            )
            for i in range(30)
        ]
    )
    url = reverse("territories:reference_search")
    response = client_for("admin").get(url, {"kind": "commune", "q": "villefranche"}, HTTP_HX_REQUEST="true")
    content = response.content.decode()
    assert "<html" not in content
    assert content.count('type="radio"') == 20
    assert "Seuls les 20 premiers résultats" in _text(response)

    response = client_for("admin").get(url, {"kind": "commune", "q": "ancienne"}, HTTP_HX_REQUEST="true")
    assert "Aucune entité en vigueur ne correspond à « ancienne »" in _text(response)


def test_the_grouping_search_keeps_the_epci_already_checked(reference, client_for):
    response = client_for("admin").get(
        reverse("territories:reference_search"),
        {"kind": "grouping", "q": "cordais", "epcis": ["248100497"]},
        HTTP_HX_REQUEST="true",
    )
    content = response.content.decode()
    assert re.search(r'value="248100497" checked', content)
    assert 'value="200034064">' in content


def test_the_search_opened_without_htmx_is_a_page_of_its_own(reference, client_for):
    response = client_for("admin").get(reverse("territories:reference_search"), {"kind": "epci", "q": "val"})
    text = _text(response)
    assert "<html" in text and "CC Val 81 — Communauté de communes, SIREN 248100497" in text


# --- The public profile ------------------------------------------------------------------------------


def _grouping(n_epcis=2, communes_per_epci=3, milestones=2, bodies=2, facilitators=1):
    """A published grouping of EPCI in the Tarn, each EPCI with its communes of 500 inhabitants."""
    tarn = DepartmentFactory(code="81", name="Tarn")
    # Codes of their own for each grouping of the test: a letter (INSEE codes are not all digits) and numbers.
    batch = Territory.objects.filter(kind=TerritoryKind.GROUPING).count()
    epcis = Epci.objects.bulk_create(
        [Epci(siren=f"8{batch:02d}{i:06d}", name=f"CC membre {i:02d}", kind="CC") for i in range(n_epcis)]
    )
    Commune.objects.bulk_create(
        [
            Commune(
                insee_code=f"{'ABCDEFGHIJ'[batch]}{i:02d}{j:02d}",
                name=f"Commune {i:02d}-{j:02d}",
                population=500,
                department=tarn,
                region=tarn.region,
                epci=epci,
            )
            for i, epci in enumerate(epcis)
            for j in range(communes_per_epci)
        ]
    )
    territory = services.territory_create(
        actor=None, kind=TerritoryKind.GROUPING, name="Pôle test", epcis=epcis, grouping_kind="pole"
    )
    territory.is_published = True
    territory.area_km2 = 1700
    territory.technical_team_min, territory.technical_team_max = 6, 7
    territory.save()
    Milestone.objects.bulk_create(
        [
            Milestone(
                territory=territory, kind=MilestoneKind.STRATEGY, title=f"Plan {i}", start_year=2000 + i % 25
            )
            for i in range(milestones)
        ]
    )
    GovernanceBody.objects.bulk_create(
        [
            GovernanceBody(territory=territory, name=f"Instance {i}", members=10 + i, order=i)
            for i in range(bodies)
        ]
    )
    territory.facilitators.set(
        [
            UserFactory(role=PlatformRole.FACILITATOR, full_name=f"Accompagnatrice {i}")
            for i in range(facilitators)
        ]
    )
    return territory


def test_the_profile_shows_the_composition_figures_governance_and_people(world, client_for):
    territory = _grouping()
    TeamMember.objects.create(territory=territory, user=world.users["agent"], role=TeamRole.AGENT)
    text = _text(client_for("anonymous").get(_url("detail", territory)))
    assert "Les 2 EPCI du regroupement" in text and "CC membre 00" in text
    assert "Voir la liste des 6 communes" in text and "Commune 01-02" in text
    assert re.search(r"3\s000 habitant·es", text)
    assert re.search(r"1\s700 km²", text)
    assert "2 hab./km²" in text  # 3 000 / 1 700
    assert "Instance 1 : 11 membres" in text
    assert "Équipe technique : 6 à 7 agents" in text
    assert "Accompagnatrice 0" in text
    assert "Antoine Agent" not in text  # the team stays private
    assert "Ouvrir le tableau de bord" not in text


def test_the_profile_links_to_the_carrier_and_shows_the_pilot_badge_and_the_logo(world, client_for):
    response = client_for("anonymous").get(_url("detail", world.territory))
    text = _text(response)
    assert "Territoire pilote de l'alliance depuis 2021" in text
    assert f'href="{world.public_organisation.get_absolute_url()}"' in text
    assert f'src="{_url("logo", world.territory)}"' in text
    logo = client_for("anonymous").get(_url("logo", world.territory))
    assert logo.status_code == 200 and logo["Content-Type"] == "image/png"


def test_the_logo_of_an_unpublished_territory_is_hidden_from_the_public(world, client_for):
    _unpublish(world.territory)
    assert client_for("anonymous").get(_url("logo", world.territory)).status_code == 404
    assert client_for("elu").get(_url("logo", world.territory)).status_code == 200


def test_the_description_is_sanitized(world, client_for):
    world.territory.description = (
        'Un <script>alert("x")</script> <a href="javascript:alert(1)">lien</a> <em>rural</em>'
    )
    world.territory.save()
    content = client_for("anonymous").get(_url("detail", world.territory)).content.decode()
    assert "<script>alert" not in content and "javascript:" not in content
    assert "<em>rural</em>" in content


def test_those_who_see_the_private_pages_get_a_link_to_the_dashboard(world, client_for):
    assert "Ouvrir le tableau de bord" in _text(client_for("elu").get(_url("detail", world.territory)))
    assert "Ouvrir le tableau de bord" not in _text(
        client_for("outsider").get(_url("detail", world.territory))
    )


def test_the_communes_of_a_large_grouping_are_paginated(world, client_for):
    territory = _grouping(n_epcis=3, communes_per_epci=40)
    response = client_for("anonymous").get(_url("detail", territory), {"communes": "3"})
    text = _text(response)
    assert "Communes, page 3 sur 3" in text and "Commune 02-39" in text and "Commune 00-00" not in text
    assert '<details id="communes" open>' in response.content.decode()


@pytest.mark.parametrize("role", ["anonymous", "admin"])
def test_the_profile_costs_as_many_queries_for_a_large_territory_as_for_a_small_one(
    role, world, client_for, django_assert_max_num_queries
):
    client = client_for(role)
    small = _grouping()
    client.get(_url("detail", small))
    with CaptureQueriesContext(connection) as queries:
        assert client.get(_url("detail", small)).status_code == 200

    large = _grouping(n_epcis=40, communes_per_epci=10, milestones=60, bodies=15, facilitators=8)
    with django_assert_max_num_queries(len(queries)):
        assert client.get(_url("detail", large)).status_code == 200


# --- The dashboard -----------------------------------------------------------------------------------


def test_the_dashboard_sums_up_the_team_by_role_and_by_family(world, client_for):
    response = client_for("dgs").get(_url("dashboard", world.territory))
    assert response.status_code == 200
    assert dict(response.context["team_by_role"])["DGS"] == 1
    families = dict(response.context["team_by_family"])
    assert families["Agent de collectivité"] == 2  # the agent and the DGS
    assert families["Élu·e"] == 1
    assert families["État territorial"] == 0
    text = _text(response)
    assert "3 personnes dans l'équipe · 1 invitation en attente" in text


def test_the_dashboard_shows_the_diagnostic_its_recommendations_and_the_latest_assessment(world, client_for):
    text = _text(client_for("facilitator").get(_url("dashboard", world.territory)))
    assert "Des actions sectorielles." in text
    # The world's project answers the recommendation: it is in progress, as its project implies.
    assert "Organiser des groupes de pairs." in text and "En cours" in text
    assert "Dernière auto-évaluation : 15 janvier 2022." in text
    assert 'class="chart chart-radar" role="img"' in text
    assert 'class="chart chart-timeline" role="img"' in text


def test_only_managers_and_admins_get_the_links_to_edit_the_profile(world, client_for):
    edit = _url("edit", world.territory)
    assert edit in client_for("agent").get(_url("dashboard", world.territory)).content.decode()
    assert edit not in client_for("elu").get(_url("dashboard", world.territory)).content.decode()
    pilot = _url("pilot", world.territory)
    assert pilot in client_for("admin").get(_url("dashboard", world.territory)).content.decode()
    assert pilot not in client_for("agent").get(_url("dashboard", world.territory)).content.decode()


def test_the_dashboard_costs_as_many_queries_with_a_large_team_and_history(
    world, client_for, django_assert_max_num_queries
):
    client = client_for("agent")
    url = _url("dashboard", world.territory)
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    for i in range(30):
        TeamMember.objects.create(territory=world.territory, user=UserFactory(), role=list(TeamRole)[i % 5])
        Milestone.objects.create(
            territory=world.territory, kind=MilestoneKind.OTHER, title=f"É{i}", start_year=2000 + i
        )
        Recommendation.objects.create(diagnostic=world.territory.diagnostic, number=10 + i, text=f"R{i}")
    for year in range(2023, 2026):
        services.assessment_record(
            actor=None,
            territory=world.territory,
            date=f"{year}-01-01",
            scores={f: {"level": 3} for f in (1, 2, 3, 4)},
        )
    with django_assert_max_num_queries(len(queries)):
        assert client.get(url).status_code == 200


# --- Editing the profile -----------------------------------------------------------------------------


def _profile_data(territory, **changes):
    data = {
        "description": "Un territoire rural du Tarn.",
        "website": "pole-territorial.fr",
        "area_km2": "1700",
        "technical_team_min": "6",
        "technical_team_max": "7",
        "governance-TOTAL_FORMS": "2",
        "governance-INITIAL_FORMS": "0",
        "governance-MIN_NUM_FORMS": "0",
        "governance-MAX_NUM_FORMS": "1000",
        "governance-0-name": "Comité syndical",
        "governance-0-members": "23",
        "governance-1-name": "Conseil de développement",
        "governance-1-members": "40",
    }
    data.update(changes)
    return data


def test_a_manager_saves_the_profile_and_its_governance_bodies_in_one_form(world, client_for):
    response = client_for("agent").post(_url("edit", world.territory), _profile_data(world.territory))
    assert response.status_code == 302
    world.territory.refresh_from_db()
    assert world.territory.website == "https://pole-territorial.fr"
    assert (world.territory.technical_team_min, world.territory.technical_team_max) == (6, 7)
    bodies = list(world.territory.governance_bodies.values_list("name", "members", "order"))
    assert bodies == [("Comité syndical", 23, 0), ("Conseil de développement", 40, 1)]
    assert "Le profil du territoire est enregistré." in _messages(response)


def test_the_article_chosen_in_the_profile_makes_the_team_page_say_du(world, client_for):
    client = client_for("agent")
    form = html.unescape(client.get(_url("edit", world.territory)).content.decode())
    assert 'name="article"' in form and "le (« le Pôle territorial »)" in form
    response = client.post(_url("edit", world.territory), _profile_data(world.territory, article="le"))
    assert response.status_code == 302
    world.territory.refresh_from_db()
    assert world.territory.article == "le"
    team = html.unescape(client.get(reverse("territories:team", args=[world.territory.pk])).content.decode())
    assert "L'équipe du Pôle Territorial du Tarn" in team


def test_a_governance_body_is_removed_by_ticking_its_box(world, client_for):
    body = GovernanceBody.objects.create(territory=world.territory, name="Bureau", members=5)
    data = _profile_data(world.territory)
    data.update(
        {
            "governance-TOTAL_FORMS": "3",
            "governance-INITIAL_FORMS": "1",
            "governance-0-id": str(body.pk),
            "governance-0-territory": str(world.territory.pk),
            "governance-0-name": "Bureau",
            "governance-0-members": "5",
            "governance-0-DELETE": "on",
            "governance-1-name": "",
            "governance-1-members": "",
            "governance-2-name": "",
            "governance-2-members": "",
        }
    )
    response = client_for("agent").post(_url("edit", world.territory), data)
    assert response.status_code == 302
    assert not world.territory.governance_bodies.exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"technical_team_min": "7", "technical_team_max": "6"}, "ne peut pas être inférieur au minimum (7)"),
        ({"technical_team_min": "-1"}, "Le nombre d'agents ne peut pas être négatif."),
        ({"area_km2": "-3"}, "La superficie doit être positive."),
        ({"area_km2": "beaucoup"}, "Saisissez un nombre"),
        ({"governance-0-members": "-23"}, "Le nombre de membres ne peut pas être négatif."),
        ({"governance-0-name": ""}, "Nommez l'instance"),
        ({"website": "pas une adresse"}, "Saisissez une adresse web complète"),
    ],
)
def test_bad_profile_input_gets_a_french_message_and_nothing_is_saved(changes, message, world, client_for):
    response = client_for("agent").post(
        _url("edit", world.territory), _profile_data(world.territory, **changes)
    )
    assert response.status_code == 200
    text = _text(response)
    assert message in text
    assert "Un territoire rural du Tarn." in text  # what was typed is kept
    world.territory.refresh_from_db()
    assert world.territory.description == ""
    assert not world.territory.governance_bodies.exists()


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            SimpleUploadedFile("logo.png", b"not a picture at all", content_type="image/png"),
            "image lisible : formats acceptés PNG, JPEG ou WebP",
        ),
        (png_upload(name="logo.gif"), "Formats acceptés : PNG, JPEG ou WebP."),
        (png_upload(name="logo.jpg"), "Le contenu du fichier ne correspond pas à son extension."),
    ],
)
def test_a_bad_logo_is_refused_with_a_french_message(upload, message, world, client_for):
    old_logo = world.territory.logo.name
    data = _profile_data(world.territory, logo=upload)
    response = client_for("agent").post(_url("edit", world.territory), data)
    assert response.status_code == 200
    assert message in _text(response)
    world.territory.refresh_from_db()
    assert world.territory.logo.name == old_logo


def test_a_new_logo_is_saved_and_served(world, client_for):
    data = _profile_data(world.territory, logo=png_upload(name="nouveau.png", size=(40, 40)))
    old_name = world.territory.logo.name
    client_for("agent").post(_url("edit", world.territory), data)
    world.territory.refresh_from_db()
    assert world.territory.logo.name != old_name and "nouveau" not in world.territory.logo.name


def test_an_admin_changes_the_epci_of_a_grouping_and_the_figures_follow(world, client_for):
    territory = _grouping(n_epcis=3, communes_per_epci=2)
    first = Epci.objects.get(name="CC membre 00")
    data = _profile_data(territory, **{"composition-epci_sirens": f"{first.siren} CC membre 00"})
    response = client_for("admin").post(_url("edit", territory), data)
    assert response.status_code == 302
    territory.refresh_from_db()
    assert list(territory.epcis.all()) == [first]
    assert (territory.commune_count, territory.population) == (2, 1000)


def test_a_manager_does_not_change_the_composition_of_a_grouping(world, client_for):
    territory = _grouping(n_epcis=3, communes_per_epci=2)
    TeamMember.objects.create(
        territory=territory, user=world.users["agent"], role=TeamRole.AGENT, is_manager=True
    )
    response = client_for("agent").get(_url("edit", territory))
    assert "composition-epci_sirens" not in response.content.decode()
    data = _profile_data(territory, **{"composition-epci_sirens": Epci.objects.first().siren})
    client_for("agent").post(_url("edit", territory), data)
    assert territory.epcis.count() == 3


def test_an_empty_composition_is_refused(world, client_for):
    territory = _grouping(n_epcis=2)
    data = _profile_data(territory, **{"composition-epci_sirens": "999999999"})
    response = client_for("admin").post(_url("edit", territory), data)
    assert "Aucun EPCI en vigueur ne porte ce ou ces SIREN : 999999999." in _text(response)
    assert territory.epcis.count() == 2


# --- Pilot status and publication -------------------------------------------------------------------


def test_an_admin_sets_the_pilot_status_facilitators_carrier_and_publication(world, client_for):
    other_facilitator = UserFactory(role=PlatformRole.FACILITATOR, full_name="Paul Accompagnateur")
    carrier = OrganisationFactory(name="PETR de l'Albigeois")
    MembershipFactory(organisation=carrier, status=MembershipStatus.ACCEPTED)
    territory = world.other_territory
    response = client_for("admin").post(
        _url("pilot", territory),
        {
            "is_pilot": "on",
            "pilot_since": "2022",
            "facilitators": [str(other_facilitator.pk)],
            "carrier": str(carrier.pk),
            "is_published": "on",
        },
    )
    assert response.status_code == 302
    territory.refresh_from_db()
    assert territory.is_pilot and territory.pilot_since == 2022 and territory.is_published
    assert list(territory.facilitators.all()) == [other_facilitator]
    assert territory.carrier == carrier


def test_only_facilitators_can_be_assigned_and_a_pilot_needs_its_year(world, client_for):
    response = client_for("admin").post(
        _url("pilot", world.other_territory),
        {"is_pilot": "on", "pilot_since": "", "facilitators": [str(world.users["outsider"].pk)]},
    )
    text = _text(response)
    assert "Indiquez l'année depuis laquelle le territoire est pilote." in text
    assert "n'est pas celui d'un·e accompagnateur·ice" in text or "Sélectionnez un choix valide" in text
    world.other_territory.refresh_from_db()
    assert not world.other_territory.is_pilot


def test_a_facilitator_who_follows_the_territory_sees_it_in_their_list(world, client_for):
    assert "Pôle Territorial du Tarn" in _list(client_for("facilitator"), pilot="oui")


# --- Trajectory --------------------------------------------------------------------------------------


def test_a_contributor_adds_a_milestone_and_is_sent_back_to_the_dashboard(world, client_for):
    response = client_for("elu").post(
        _url("milestone_add", world.territory),
        {
            "kind": MilestoneKind.STRATEGY,
            "plan": "TEPOS",
            "title": "Territoire à énergie positive",
            "start_year": "2014",
            "end_year": "2016",
            "description": "Une stratégie parmi d'autres.",
            "grant_dependent": "on",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == _url("dashboard", world.territory) + "#trajectoire"
    milestone = world.territory.milestones.get(plan="TEPOS")
    assert (milestone.years, milestone.grant_dependent) == ("2014/2016", True)
    assert "L'étape « Territoire à énergie positive » est enregistrée." in _messages(response)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"start_year": "2018", "end_year": "2017"},
            "L'année de fin ne peut pas précéder l'année de début (2018).",
        ),
        ({"start_year": "1800"}, "Vérifiez l'année : elle doit être comprise entre 1950 et 2100."),
        ({"end_year": "3000"}, "Vérifiez l'année : elle doit être comprise entre 1950 et 2100."),
        ({"end_year": "32768"}, "Vérifiez l'année : elle doit être comprise entre 1950 et 2100."),
        ({"start_year": "deux mille"}, "Saisissez une année sur quatre chiffres"),
        ({"title": ""}, "Donnez un intitulé à l'étape."),
        ({"kind": "inconnu"}, "Sélectionnez un choix valide"),
    ],
)
def test_bad_milestone_input_gets_a_french_message(changes, message, world, client_for):
    data = {"kind": MilestoneKind.TURNING_POINT, "title": "Seconde bascule", "start_year": "2021", **changes}
    response = client_for("agent").post(_url("milestone_add", world.territory), data)
    assert response.status_code == 200
    assert message in _text(response)
    assert world.territory.milestones.count() == 1


def test_a_milestone_is_edited_and_then_deleted_after_confirmation(world, client_for):
    client = client_for("facilitator")
    edit = _url("milestone_edit", world.territory, world.milestone.pk)
    assert 'value="PCAET"' in client.get(edit).content.decode()
    client.post(
        edit,
        {"kind": MilestoneKind.TURNING_POINT, "plan": "PCAET", "title": "1ère bascule", "start_year": "2017"},
    )
    world.milestone.refresh_from_db()
    assert (world.milestone.title, world.milestone.end_year) == ("1ère bascule", None)

    delete = _url("milestone_delete", world.territory, world.milestone.pk)
    response = client.post(delete, {})
    assert "Cochez la case pour confirmer la suppression." in _text(response)
    assert Milestone.objects.filter(pk=world.milestone.pk).exists()
    response = client.post(delete, {"confirm": "on"})
    assert response.status_code == 302
    assert not Milestone.objects.filter(pk=world.milestone.pk).exists()


# --- Diagnostic and recommendations ------------------------------------------------------------------


def test_the_diagnostic_is_created_once_then_edited(world, client_for):
    territory = world.other_territory
    client = client_for("outsider")  # the manager of the other territory
    data = {
        "date": "01/06/2021",
        "authors": "La Fabrique",
        "findings": "Deux visions du Pôle.",
        "tensions": "",
    }
    assert client.post(_url("diagnostic_edit", territory), data).status_code == 302
    data["tensions"] = "Une couche administrative de plus ?"
    client.post(_url("diagnostic_edit", territory), data)
    diagnostic = Diagnostic.objects.get(territory=territory)
    assert diagnostic.tensions == "Une couche administrative de plus ?"
    assert str(diagnostic.date) == "2021-06-01"


def test_a_diagnostic_without_findings_or_with_a_bad_date_is_refused(world, client_for):
    data = {"date": "31/02/2021", "authors": "", "findings": ""}
    text = _text(client_for("outsider").post(_url("diagnostic_edit", world.other_territory), data))
    assert "Saisissez une date" in text
    assert "Indiquez qui a mené le diagnostic." in text
    assert "Résumez les constats du diagnostic." in text
    assert not Diagnostic.objects.filter(territory=world.other_territory).exists()


def test_recommendations_need_a_diagnostic_first(world, client_for):
    response = client_for("outsider").get(_url("recommendation_add", world.other_territory))
    assert response.status_code == 302
    assert response["Location"] == _url("diagnostic_edit", world.other_territory)


def test_a_recommendation_is_numbered_after_the_last_one_and_its_status_changes(world, client_for):
    client = client_for("dgs")
    form = client.get(_url("recommendation_add", world.territory)).context["form"]
    assert form["number"].value() == 2
    client.post(
        _url("recommendation_add", world.territory),
        {"number": "2", "text": "Former 40 managers au management par la coopération.", "status": "proposed"},
    )
    recommendation = Recommendation.objects.get(diagnostic__territory=world.territory, number=2)
    response = client.post(
        _url("recommendation_edit", world.territory, recommendation.pk),
        {"number": "2", "text": recommendation.text, "status": RecommendationStatus.IN_PROGRESS},
    )
    assert response["Location"] == _url("dashboard", world.territory) + "#diagnostic"
    recommendation.refresh_from_db()
    assert recommendation.status == RecommendationStatus.IN_PROGRESS


def test_a_duplicate_recommendation_number_is_a_form_error_not_a_crash(world, client_for):
    response = client_for("agent").post(
        _url("recommendation_add", world.territory), {"number": "1", "text": "Doublon", "status": "proposed"}
    )
    assert response.status_code == 200
    assert "La recommandation n°1 existe déjà : choisissez un autre numéro." in _text(response)
    assert Recommendation.objects.filter(diagnostic__territory=world.territory).count() == 1


# --- The trajectory timeline -------------------------------------------------------------------------


def _milestones(*rows):
    return [
        Milestone(pk=i + 1, kind=kind, title=title, start_year=start, end_year=end)
        for i, (kind, title, start, end) in enumerate(rows)
    ]


def test_the_timeline_is_an_image_with_a_title_a_description_and_every_milestone_escaped():
    svg = str(
        trajectory_svg(
            _milestones(
                (MilestoneKind.STRATEGY, "PCET & TEPOS", 2007, 2008),
                (MilestoneKind.TURNING_POINT, "<script>alert(1)</script>", 2017, None),
                (MilestoneKind.ACCOMPANIMENT, 'Fabrique "des" Transitions', 2021, None),
                (MilestoneKind.END_OF_SCHEME, "Fin de la plateforme de la réno", 2019, None),
            ),
            title="Trajectoire <b>du Pôle</b>",
        )
    )
    assert svg.startswith("<svg") and 'role="img"' in svg and 'viewBox="0 0 720 ' in svg
    assert '<title id="trajectory-title">Trajectoire &lt;b&gt;du Pôle&lt;/b&gt;</title>' in svg
    assert "<desc" in svg and "de 2007 à 2021" in svg
    assert "<script" not in svg and "&lt;script&gt;alert(1)&lt;/script&gt;" in svg
    assert "PCET &amp; TEPOS" in svg and "Fabrique &quot;des&quot; Transitions" in svg
    for label in ("Stratégie ou plan", "Bascule", "Accompagnement", "Fin d&#x27;un dispositif"):
        assert label in svg  # the legend
    assert ">2007<" in svg and ">2021<" in svg


def test_labels_of_milestones_of_the_same_years_go_on_separate_rows():
    svg = str(
        trajectory_svg(
            _milestones(
                (MilestoneKind.STRATEGY, "PCAET", 2017, 2018),
                (MilestoneKind.TURNING_POINT, "Les communautés de communes prennent la main", 2017, None),
                (MilestoneKind.STRATEGY, "PAT", 2017, None),
            )
        )
    )
    # The labels themselves, not the white outlines drawn under them.
    label = r'<text x="[\d.]+" y="([\d.]+)" font-size="15" text-anchor="\w+" fill="#1d2a24"'
    label_rows = re.findall(label, svg)
    assert len(label_rows) == 3 and len(set(label_rows)) == 3


def test_a_long_title_is_shortened_in_the_drawing_but_whole_in_its_tooltip():
    title = "Une stratégie au titre très long " * 5
    svg = str(trajectory_svg(_milestones((MilestoneKind.OTHER, title, 2020, None))))
    assert "…</text>" in svg
    assert " ".join(title.split()) in svg


def test_no_milestone_draws_nothing():
    assert trajectory_svg([]) == ""


def test_the_pages_show_the_timeline_and_its_text_alternative(world, client_for):
    Milestone.objects.create(
        territory=world.territory,
        kind=MilestoneKind.ACCOMPANIMENT,
        title="<script>alert('bascule')</script>",
        start_year=2021,
        grant_dependent=True,
        description="Approche systémique et transversalité.",
    )
    for role in ("anonymous", "agent"):
        response = client_for(role).get(
            _url("detail" if role == "anonymous" else "dashboard", world.territory)
        )
        content = response.content.decode()
        assert "<script>alert(" not in content
        assert (
            content.count("&lt;script&gt;alert(&#x27;bascule&#x27;)&lt;/script&gt;") >= 2
        )  # drawing and list
        text = _plain(response)
        assert "2017/2018 — PCAET" in text and "dépendait d'une subvention" in text
        assert "Approche systémique et transversalité." in text
