"""The import of the official reference data, on an extract of the real package (the Tarn), and the
territories built on it."""

import io

import pytest
from django.core.management import CommandError, call_command

from reference.importer import ReferenceDataError, import_reference_data
from reference.models import Commune, Department, Epci, Region
from territories.demo import PILOT_EPCI
from territories.models import TerritoryKind
from territories.services import territory_create

from .extract import OCCITANIE, TARN, current_communes, epci, tarn_extract, write_extract

pytestmark = pytest.mark.django_db

CARMAUX = "81060"
CARMAUSIN_SEGALA = "200040905"
VAL_81 = "248100497"


def snapshot():
    """Every row of the four levels, primary keys included."""
    return {
        model.__name__: sorted(model.objects.values_list()) for model in (Region, Department, Epci, Commune)
    }


@pytest.fixture
def data():
    return tarn_extract()


@pytest.fixture
def imported(tmp_path, data):
    return import_reference_data(write_extract(tmp_path / "tarn", data))


def merge(data, *, absorbed: str, into: str, population_change: int = 0):
    """The extract after two communes merged: `absorbed` disappears and `into` takes its inhabitants."""
    communes = {c["code"]: c for c in data["communes"]}
    communes[into]["population"] += communes[absorbed]["population"] + population_change
    data["communes"].remove(communes[absorbed])
    for group in data["epcis"]:
        group["membres"] = [m for m in group["membres"] if m["code"] != absorbed]
    return data


def test_an_import_creates_the_region_the_department_the_epci_and_only_the_current_communes(data, imported):
    current = current_communes(data)

    assert Region.objects.get().code == OCCITANIE
    assert Department.objects.get().region.code == OCCITANIE
    assert Epci.objects.count() == len(data["epcis"]) == 16
    assert Commune.objects.count() == len(current) == 314
    assert len(data["communes"]) > len(current), "the extract also lists communes déléguées and associées"
    assert [(level.label, level.created, level.updated, level.deactivated) for level in imported.levels] == [
        ("Régions", 1, 0, 0),
        ("Départements", 1, 0, 0),
        ("EPCI", 16, 0, 0),
        ("Communes", 314, 0, 0),
    ]


def test_each_commune_gets_its_epci_from_the_members_of_the_epci(data, imported):
    carmaux = Commune.objects.select_related("epci", "department", "region").get(insee_code=CARMAUX)

    assert carmaux.epci.siren == CARMAUSIN_SEGALA
    assert carmaux.department.code == TARN and carmaux.region.code == OCCITANIE
    assert carmaux.population == next(c["population"] for c in data["communes"] if c["code"] == CARMAUX)
    assert carmaux.siren
    for siren in PILOT_EPCI:
        members = {m["code"] for m in epci(data, siren)["membres"]}
        assert set(Commune.objects.filter(epci__siren=siren).values_list("insee_code", flat=True)) == members
    assert not Commune.objects.filter(epci__isnull=True).exists()


def test_an_epci_keeps_its_official_type_and_population(data, imported):
    group = Epci.objects.get(siren=CARMAUSIN_SEGALA)

    assert group.kind == "CC"
    assert group.population == epci(data, CARMAUSIN_SEGALA)["populationMunicipale"]


def test_members_outside_the_extract_are_ignored(data, imported):
    straddling = next(e for e in data["epcis"] if any(not m["code"].startswith(TARN) for m in e["membres"]))

    assert Commune.objects.filter(epci__siren=straddling["code"]).count() == sum(
        m["code"].startswith(TARN) for m in straddling["membres"]
    )


def test_a_second_import_of_the_same_data_changes_nothing(tmp_path, data, imported):
    before = snapshot()

    again = import_reference_data(write_extract(tmp_path / "again", data))

    assert snapshot() == before
    assert [(level.created, level.updated, level.deactivated) for level in again.levels] == [(0, 0, 0)] * 4
    assert [level.unchanged for level in again.levels] == [1, 1, 16, 314]


def test_a_merged_commune_stays_inactive_and_the_territories_are_recomputed_without_it(
    tmp_path, data, imported, admin_user
):
    absorbed, into = (m["code"] for m in epci(data, VAL_81)["membres"][:2])
    territory = territory_create(
        actor=admin_user, kind=TerritoryKind.EPCI, reference=Epci.objects.get(siren=VAL_81)
    )
    population, communes = territory.population, territory.commune_count

    report = import_reference_data(
        write_extract(
            tmp_path / "merged", merge(tarn_extract(), absorbed=absorbed, into=into, population_change=7)
        )
    )

    territory.refresh_from_db()
    gone = Commune.objects.get(insee_code=absorbed)
    assert not gone.is_active and gone.epci.siren == VAL_81, "kept as it was, for what points at it"
    assert (
        Commune.objects.get(insee_code=into).population
        == sum(c["population"] for c in data["communes"] if c["code"] in (absorbed, into)) + 7
    )
    assert territory.commune_count == communes - 1
    assert territory.population == population + 7
    assert not territory.communes().filter(insee_code=absorbed).exists()
    communes_level = report.levels[-1]
    assert (communes_level.updated, communes_level.deactivated) == (1, 1)
    assert report.followers == [("Territoires recalculés", 1)]


def test_a_commune_that_reappears_is_reactivated(tmp_path, data, imported, admin_user):
    absorbed, into = (m["code"] for m in epci(data, VAL_81)["membres"][:2])
    territory = territory_create(
        actor=admin_user, kind=TerritoryKind.EPCI, reference=Epci.objects.get(siren=VAL_81)
    )
    totals = (territory.population, territory.commune_count)
    import_reference_data(
        write_extract(tmp_path / "merged", merge(tarn_extract(), absorbed=absorbed, into=into))
    )

    report = import_reference_data(write_extract(tmp_path / "split", data))

    territory.refresh_from_db()
    assert Commune.objects.get(insee_code=absorbed).is_active
    assert (territory.population, territory.commune_count) == totals
    assert (report.levels[-1].reactivated, report.levels[-1].updated) == (1, 2)
    assert Commune.objects.filter(is_active=True).count() == 314


def test_inconsistent_data_is_refused_and_nothing_is_written(tmp_path, data):
    data["departments"][0]["region"] = "99"

    with pytest.raises(ReferenceDataError, match="la région 99"):
        import_reference_data(write_extract(tmp_path / "broken", data))

    assert not Region.objects.exists()


def test_files_without_any_commune_are_refused_rather_than_deactivating_everything(tmp_path, data, imported):
    data["communes"] = []

    with pytest.raises(ReferenceDataError, match="aucune commune"):
        import_reference_data(write_extract(tmp_path / "empty", data))

    assert Commune.objects.filter(is_active=True).count() == 314


def test_the_command_prints_the_counts_and_the_elapsed_time(tmp_path, data):
    out = io.StringIO()

    call_command("import_reference_data", source=str(write_extract(tmp_path / "tarn", data)), stdout=out)

    lines = out.getvalue().splitlines()
    assert lines[2].split() == ["Régions", "1", "1", "0", "0", "0", "0"]
    assert lines[5].split() == ["Communes", "314", "314", "0", "0", "0", "0"]
    assert lines[-1].startswith("Référentiel importé en ")


def test_the_command_tells_how_to_install_a_missing_data_folder(tmp_path):
    with pytest.raises(CommandError, match="Lancez make install"):
        call_command("import_reference_data", source=str(tmp_path / "absent"))


# --- Territories on the reference data ------------------------------------------------------------------


def totals(communes):
    return sum(c.get("population") or 0 for c in communes), len(communes)


def test_a_commune_territory_is_the_commune(data, imported, admin_user):
    territory = territory_create(
        actor=admin_user, kind=TerritoryKind.COMMUNE, reference=Commune.objects.get(insee_code=CARMAUX)
    )

    assert list(territory.communes().values_list("insee_code", flat=True)) == [CARMAUX]
    assert (territory.population, territory.commune_count) == totals(
        [c for c in current_communes(data) if c["code"] == CARMAUX]
    )
    assert territory.name == "Carmaux"


def test_an_epci_territory_is_made_of_its_member_communes(data, imported, admin_user):
    territory = territory_create(
        actor=admin_user, kind=TerritoryKind.EPCI, reference=Epci.objects.get(siren=CARMAUSIN_SEGALA)
    )
    members = {m["code"] for m in epci(data, CARMAUSIN_SEGALA)["membres"]}

    assert set(territory.communes().values_list("insee_code", flat=True)) == members
    assert (territory.population, territory.commune_count) == totals(
        [c for c in current_communes(data) if c["code"] in members]
    )


def test_the_tarn_pilot_grouping_of_five_epci_has_100_communes_and_about_58_700_inhabitants(
    imported, admin_user
):
    territory = territory_create(
        actor=admin_user,
        kind=TerritoryKind.GROUPING,
        name="Pôle Territorial (Tarn)",
        epcis=Epci.objects.filter(siren__in=PILOT_EPCI),
        grouping_kind="pole",
    )

    assert territory.commune_count == territory.communes().count() == 100
    assert territory.population == 58_770


def test_a_department_territory_is_made_of_its_communes(data, imported, admin_user):
    territory = territory_create(
        actor=admin_user, kind=TerritoryKind.DEPARTMENT, reference=Department.objects.get(code=TARN)
    )

    assert (territory.population, territory.commune_count) == totals(current_communes(data))
    assert territory.commune_count == 314


def test_a_region_territory_is_made_of_the_communes_of_its_departments(data, imported, admin_user):
    territory = territory_create(
        actor=admin_user, kind=TerritoryKind.REGION, reference=Region.objects.get(code=OCCITANIE)
    )

    assert territory.name == "Occitanie"
    assert (territory.population, territory.commune_count) == totals(current_communes(data))
