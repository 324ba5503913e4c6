"""Open data (CSV, JSON) of the public directory, territories and resources; the admins' exports."""

import csv
import io
import json

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from alliance.models import MembershipStatus
from pages.datasets import ALLY_FIELDS, MEMBERSHIP_FIELDS, PROJECT_FIELDS, RESOURCE_FIELDS, TERRITORY_FIELDS

from ..factories import MembershipFactory, OrganisationFactory, TerritoryFactory

pytestmark = pytest.mark.django_db


def read_csv(response):
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff"), "Excel needs the byte order mark to read UTF-8"
    return list(csv.DictReader(io.StringIO(body[1:])))


def read_json(response):
    return json.loads(response.content.decode("utf-8"))


def test_allies_csv_lists_the_directory_s_organisations_with_stable_fields(client, public_data):
    response = client.get(reverse("pages:allies_export", args=["csv"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith(
        'attachment; filename="fabrique-des-transitions-allie-es-'
    )
    rows = read_csv(response)
    assert list(rows[0].keys()) == ALLY_FIELDS
    names = [row["name"] for row in rows]
    assert "Réseau Territoires en transition" in names
    assert "Bureau discret" not in names and "Collectif candidat" not in names
    # Persons are not exported: their consent covers the directory page only.
    assert not any("Paule Personne" in value for row in rows for value in row.values())
    listed = next(row for row in rows if row["name"] == "Réseau Territoires en transition")
    assert listed["siren"] == "732829320"
    assert listed["category"] == "collectivite"
    assert listed["region_label"] == "Occitanie"
    assert listed["url"] == f"http://testserver{public_data.listed.get_absolute_url()}"
    assert listed["member_since"]


def test_a_text_that_a_spreadsheet_would_run_as_a_formula_is_neutralised_in_csv(client, public_data):
    rows = read_csv(client.get(reverse("pages:allies_export", args=["csv"])))
    assert '\'=HYPERLINK("http://malveillant.example")' in [row["name"] for row in rows]


def test_allies_json_has_the_same_records_and_keeps_the_text_as_typed(client, public_data):
    document = read_json(client.get(reverse("pages:allies_export", args=["json"])))
    assert document["fields"] == ALLY_FIELDS
    assert document["license"].startswith("Licence Ouverte")
    assert document["count"] == len(document["records"]) == 2
    names = {record["name"] for record in document["records"]}
    assert names == {"Réseau Territoires en transition", '=HYPERLINK("http://malveillant.example")'}


def test_territories_export_lists_published_territories_only(client, public_data):
    rows = read_csv(client.get(reverse("pages:territories_export", args=["csv"])))
    assert list(rows[0].keys()) == TERRITORY_FIELDS
    assert {row["name"] for row in rows} == {"Pôle Territorial de l'Albigeois", "Commune publiée"}
    pilot = next(row for row in rows if row["is_pilot"] == "true")
    assert pilot["pilot_since"] == "2021"
    document = read_json(client.get(reverse("pages:territories_export", args=["json"])))
    assert {record["name"] for record in document["records"]} == {
        "Pôle Territorial de l'Albigeois",
        "Commune publiée",
    }
    assert all(isinstance(record["departments"], list) for record in document["records"])


def test_resources_export_lists_published_public_resources_only(client, public_data):
    rows = read_csv(client.get(reverse("pages:resources_export", args=["csv"])))
    assert list(rows[0].keys()) == RESOURCE_FIELDS
    titles = {row["title"] for row in rows}
    assert titles == {"Le schéma actantiel", "Festival Explore Demain", "Rencontre passée"}
    festival = read_json(client.get(reverse("pages:resources_export", args=["json"])))["records"]
    festival = next(record for record in festival if record["title"] == "Festival Explore Demain")
    assert festival["kind"] == "evenement" and festival["place"] == "Albi" and festival["starts_on"]


@pytest.mark.parametrize(
    "name", ["pages:allies_export", "pages:territories_export", "pages:resources_export"]
)
def test_an_unknown_format_is_not_found(client, db, name):
    assert client.get(reverse(name, args=["xml"])).status_code == 404


def test_an_empty_export_still_has_its_header(client, db):
    response = client.get(reverse("pages:allies_export", args=["csv"]))
    assert response.content.decode("utf-8") == "\ufeff" + ",".join(ALLY_FIELDS) + "\r\n"


# --- The admins' export of memberships ------------------------------------------------------------------


@pytest.fixture
def memberships(charter, admin_user):
    accepted = MembershipFactory(
        organisation=OrganisationFactory(name="CC du Val Vert", category="collectivite", region="OCC"),
        status=MembershipStatus.ACCEPTED,
    )
    candidate = MembershipFactory(
        organisation=OrganisationFactory(name="Réseau candidat", category="reseau", region="BRE")
    )
    control = MembershipFactory(
        organisation=OrganisationFactory(name="Nom\x01avec\x1bcontrôle", region="IDF")
    )
    return accepted, candidate, control


def test_admin_exports_memberships_as_csv_with_filters(client_for, memberships):
    response = client_for("admin").get(
        reverse("pages:memberships_export", args=["csv"]), {"status": "candidate"}
    )
    assert response.status_code == 200
    rows = read_csv(response)
    assert list(rows[0].keys()) == MEMBERSHIP_FIELDS
    assert {row["member_name"] for row in rows} == {"Réseau candidat", "Nomaveccontrôle"}
    by_region = read_csv(
        client_for("admin").get(reverse("pages:memberships_export", args=["csv"]), {"region": "OCC"})
    )
    assert [row["member_name"] for row in by_region] == ["CC du Val Vert"]
    assert by_region[0]["signatory_email"]


def test_admin_exports_memberships_as_xlsx_that_excel_can_open(client_for, memberships):
    response = client_for("admin").get(reverse("pages:memberships_export", args=["xlsx"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == MEMBERSHIP_FIELDS
    names = {row[MEMBERSHIP_FIELDS.index("member_name")] for row in rows[1:]}
    # Characters XML cannot hold are dropped rather than failing the whole file.
    assert names == {"CC du Val Vert", "Réseau candidat", "Nomaveccontrôle"}


def test_a_formula_in_an_xlsx_export_stays_text(client_for, charter, admin_user):
    MembershipFactory(organisation=OrganisationFactory(name="=1+1"))
    response = client_for("admin").get(reverse("pages:memberships_export", args=["xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    cell = sheet.cell(row=2, column=MEMBERSHIP_FIELDS.index("member_name") + 1)
    assert cell.data_type == "s" and cell.value == "'=1+1"


def test_bad_filters_give_a_french_error_not_a_file(client_for, memberships):
    response = client_for("admin").get(
        reverse("pages:memberships_export", args=["csv"]), {"since": "2026-05-01", "until": "2026-01-01"}
    )
    assert response.status_code == 400
    assert "Cette date précède la date de début." in response.content.decode()
    response = client_for("admin").get(
        reverse("pages:memberships_export", args=["csv"]), {"status": "n'importe"}
    )
    assert response.status_code == 400
    assert "Sélectionnez un choix valide" in response.content.decode()


@pytest.mark.parametrize("role", ["outsider", "agent", "facilitator"])
def test_only_admins_export_memberships(client_for, memberships, role):
    for fmt in ("csv", "xlsx"):
        assert client_for(role).get(reverse("pages:memberships_export", args=[fmt])).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in_before_an_admin_export(client, memberships):
    response = client.get(reverse("pages:memberships_export", args=["csv"]))
    assert response.status_code == 302 and "/comptes/login/" in response["Location"]


@pytest.mark.parametrize("extra", [0, 40])
def test_export_query_counts_do_not_grow_with_data(
    client_for, public_data, extra, django_assert_max_num_queries
):
    for i in range(extra):
        MembershipFactory(
            organisation=OrganisationFactory(name=f"Alliée {i}"), status=MembershipStatus.ACCEPTED
        )
    anonymous, admin = Client(), client_for("admin")
    with django_assert_max_num_queries(1):
        anonymous.get(reverse("pages:allies_export", args=["csv"]))
    with django_assert_max_num_queries(1):
        anonymous.get(reverse("pages:territories_export", args=["json"]))
    with django_assert_max_num_queries(3):
        anonymous.get(reverse("pages:resources_export", args=["json"]))
    # The admin's session, user, second factor and charter check, then the rows.
    with django_assert_max_num_queries(10):
        admin.get(reverse("pages:memberships_export", args=["xlsx"]))


# --- The admins' export of projects ---------------------------------------------------------------------


@pytest.fixture
def projects(charter, agent, facilitator, admin_user):
    from core.models import Theme
    from projects import services as project_services
    from territories.models import TeamMember, TeamRole

    territory = TerritoryFactory(name="Pôle Territorial du Tarn")
    TeamMember.objects.create(territory=territory, user=agent, role=TeamRole.AGENT, is_manager=True)
    other = TerritoryFactory(name="Vallée Verte")
    TeamMember.objects.create(territory=other, user=facilitator, role=TeamRole.AGENT, is_manager=True)
    cooperation = Theme.objects.create(slug="export-cooperation", name="Coopération (export)")
    first = project_services.project_create(
        actor=agent, territory=territory, title="Management par la coopération", themes=[cooperation]
    )
    second = project_services.project_create(actor=facilitator, territory=other, title="=Formule piégée")
    return first, second, cooperation


def test_admin_exports_projects_with_the_status_of_each_deliverable(client_for, projects):
    first, _second, cooperation = projects
    response = client_for("admin").get(reverse("pages:projects_export", args=["csv"]))
    assert response.status_code == 200
    rows = read_csv(response)
    assert list(rows[0].keys()) == PROJECT_FIELDS
    row = next(row for row in rows if row["id"] == str(first.pk))
    assert row["territory"] == "Pôle Territorial du Tarn" and row["stage"] == "intention"
    assert row["intention_status"] == "draft" and row["cadrage_status"] == ""
    assert row["lead_name"] == "Antoine Agent" and row["themes"] == "Coopération (export)"
    assert "'=Formule piégée" in {row["title"] for row in rows}
    by_theme = read_csv(
        client_for("admin").get(reverse("pages:projects_export", args=["csv"]), {"theme": cooperation.pk})
    )
    assert [row["title"] for row in by_theme] == ["Management par la coopération"]
    by_territory = read_csv(
        client_for("admin").get(reverse("pages:projects_export", args=["csv"]), {"q": "vallee"})
    )
    assert [row["title"] for row in by_territory] == ["'=Formule piégée"]


def test_admin_exports_projects_as_xlsx(client_for, projects):
    response = client_for("admin").get(
        reverse("pages:projects_export", args=["xlsx"]), {"stage": "intention"}
    )
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert list(rows[0]) == PROJECT_FIELDS and len(rows) == 3


def test_bad_project_filters_give_a_french_error(client_for, projects):
    response = client_for("admin").get(reverse("pages:projects_export", args=["csv"]), {"theme": "999999"})
    assert response.status_code == 400
    assert "Sélectionnez un choix valide" in response.content.decode()


@pytest.mark.parametrize("role", ["outsider", "agent", "facilitator"])
def test_only_admins_export_projects(client_for, projects, role):
    assert client_for(role).get(reverse("pages:projects_export", args=["csv"])).status_code == 403


@pytest.mark.parametrize("extra", [0, 15])
def test_project_export_query_count_does_not_grow_with_data(
    client_for, projects, agent, extra, django_assert_max_num_queries
):
    from projects import services as project_services

    territory = projects[0].territory
    for i in range(extra):
        project_services.project_create(actor=agent, territory=territory, title=f"Projet {i}")
    admin = client_for("admin")
    with django_assert_max_num_queries(10):
        admin.get(reverse("pages:projects_export", args=["xlsx"]))
