"""The Tarn pilot of the demo data, built on the extract of the real reference data."""

import pytest
from django.apps import apps

from alliance.models import Category, Organisation
from reference.importer import import_reference_data
from territories.demo import CARRIER_NAME, PILOT_NAME, seed_territories
from territories.models import GroupingKind, MilestoneKind, TerritoryKind

from .extract import tarn_extract, write_extract

pytestmark = pytest.mark.django_db


@pytest.fixture
def seed(tmp_path, admin_user, agent, dgs, elu, facilitator):
    import_reference_data(write_extract(tmp_path / "tarn", tarn_extract()))
    Organisation.objects.create(name=CARRIER_NAME, category=Category.COLLECTIVITE)
    users = {"agent": agent, "dgs": dgs, "elu": elu, "facilitatrice": facilitator}
    return lambda: seed_territories(admin=admin_user, users=users)


def row_counts():
    return {
        model.__name__: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in ("territories", "core")
    }


def test_the_pilot_is_the_pole_of_five_epci_with_100_communes_and_58_770_inhabitants(seed):
    territory = seed()

    assert (territory.name, territory.kind, territory.grouping_kind) == (
        PILOT_NAME,
        TerritoryKind.GROUPING,
        GroupingKind.POLE,
    )
    assert territory.epcis.count() == 5
    assert (territory.commune_count, territory.population) == (100, 58_770)
    assert territory.density == pytest.approx(35, abs=1)


def test_the_pilot_has_its_governance_team_and_carrier(seed, agent, dgs, elu, facilitator):
    territory = seed()

    assert [(body.name, body.members) for body in territory.governance_bodies.all()] == [
        ("Comité syndical (élu·es)", 23),
        ("Conseil de développement", 40),
    ]
    assert (territory.technical_team_min, territory.technical_team_max) == (6, 7)
    assert {(m.user, m.role, m.is_manager) for m in territory.team.all()} == {
        (agent, "agent", True),
        (dgs, "dgs", False),
        (elu, "elu", False),
    }
    assert list(territory.facilitators.all()) == [facilitator]
    assert territory.carrier.name == CARRIER_NAME
    assert territory.is_pilot and territory.pilot_since == 2021 and territory.is_published


def test_the_pilot_has_its_trajectory_diagnostic_and_an_assessment(seed, facilitator):
    territory = seed()

    milestones = list(territory.milestones.all())
    assert (milestones[0].start_year, milestones[0].end_year) == (2007, 2008)
    turning_points = [m for m in milestones if m.kind == MilestoneKind.TURNING_POINT]
    assert [(m.plan, m.years) for m in turning_points] == [("PCAET", "2017/2018")]
    assert milestones[-1].kind == MilestoneKind.ACCOMPANIMENT and milestones[-1].start_year == 2021
    assert {m.plan for m in milestones if m.grant_dependent} >= {"CEP", "renovation"}
    diagnostic = territory.diagnostic
    assert diagnostic.date.year == 2021 and diagnostic.authors == "La Fabrique des Transitions"
    assert "visions contradictoires" in diagnostic.tensions
    assert [r.number for r in diagnostic.recommendations.all()] == [1, 2, 3, 4, 5]
    assessment = territory.assessments.get()
    assert assessment.discussed_with == facilitator
    assert [(s.fundamental, bool(s.evidence)) for s in assessment.scores.all()] == [
        (1, True),
        (2, True),
        (3, True),
        (4, True),
    ]


def test_seeding_twice_changes_nothing(seed):
    first = seed()
    counts = row_counts()

    second = seed()

    assert second == first
    assert row_counts() == counts
