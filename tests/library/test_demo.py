"""The library's demo data: about twenty resources from DOMAIN.md, through the real workflow, idempotent."""

from datetime import date

import pytest

from core.models import AuditEntry
from library import selectors
from library.demo import seed_library
from library.models import Resource, ResourceStatus
from notifications.models import Notification
from territories.demo import PILOT_NAME

from ..factories import TerritoryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def seed(admin_user, agent, dgs, elu, facilitator):
    users = {"agent": agent, "dgs": dgs, "elu": elu, "facilitatrice": facilitator}
    return lambda: seed_library(admin=admin_user, users=users)


def test_the_demo_has_about_twenty_resources_of_every_stage_of_the_review(seed):
    seed()

    assert 18 <= Resource.objects.count() <= 25
    statuses = {status: Resource.objects.filter(status=status).count() for status in ResourceStatus.values}
    assert statuses["review"] == 1 and statuses["draft"] == 1
    kinds = set(Resource.objects.values_list("kind", flat=True))
    assert {"fiche_outil", "methode", "retour_experience", "publication", "evenement"} <= kinds
    assert Resource.objects.filter(members_only=True, status="published").count() == 1


def test_the_demo_has_the_tools_the_deliverables_the_pilot_s_story_and_the_festival(seed):
    pilot = TerritoryFactory(name=PILOT_NAME)
    seed()

    titles = set(Resource.objects.values_list("title", flat=True))
    assert {
        "Le schéma actantiel",
        "La carte des acteurs",
        "Raconter la coopération",
        "Évaluer et délibérer sur la valeur créée",
        "La note d'intention (livrable 1)",
        "La note de cadrage (livrable 2)",
        "La note de faisabilité (livrable 3)",
    } <= titles
    story = Resource.objects.get(title__startswith="Pôle Territorial (Tarn)")
    assert list(story.territories.all()) == [pilot]
    festival = Resource.objects.get(title="Le festival Explore Demain")
    assert (festival.starts_on, festival.ends_on) == (date(2027, 5, 17), date(2027, 5, 25))


def test_the_demo_is_found_by_the_search(seed):
    seed()
    filters = selectors.Filters(query=selectors.search_query("cooperation"))

    results = list(selectors.search(selectors.published_resources(), filters))

    # The resources with the word in their title come first.
    in_title = {r.title for r in results if "coopération" in r.title.lower()}
    assert len(in_title) == 3
    assert {r.title for r in results[:3]} == in_title
    assert "Raconter la coopération" in in_title


def test_running_the_demo_twice_changes_nothing(seed):
    seed()
    counts = (Resource.objects.count(), AuditEntry.objects.count(), Notification.objects.count())

    seed()

    assert (Resource.objects.count(), AuditEntry.objects.count(), Notification.objects.count()) == counts
