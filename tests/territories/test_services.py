"""The territory's writes go through its services: one transaction, the row locked, the state checked, an
audit entry; publishing tells the apps above (the library's search) within the same transaction, from the
platform's page and from the Django admin alike."""

import datetime

import pytest
from django.contrib.admin.sites import site
from django.db import connection
from django.db.models.fields.files import FieldFile
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.audit import history_of
from core.errors import DomainError
from territories import services, signals
from territories.models import (
    Diagnostic,
    GovernanceBody,
    Milestone,
    MilestoneKind,
    Recommendation,
    TeamMember,
    Territory,
    TerritoryKind,
)
from tests.factories import CommuneFactory, UserFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2024, 5, 1)


def _actions(territory):
    return list(history_of(territory).order_by("pk").values_list("action", flat=True))


def _locks(queries, table):
    return [
        q["sql"] for q in queries.captured_queries if "FOR UPDATE" in q["sql"] and f'"{table}"' in q["sql"]
    ]


def test_a_territory_and_its_first_manager_are_created_together_or_not_at_all(world, monkeypatch):
    commune = CommuneFactory(name="Blaye-les-Mines")
    manager = UserFactory()

    def refused(**kwargs):
        raise DomainError("refusé")

    monkeypatch.setattr(services, "team_member_add", refused)
    with pytest.raises(DomainError):
        services.territory_create(
            actor=world.users["admin"],
            kind=TerritoryKind.COMMUNE,
            reference=commune,
            manager=manager,
            manager_role="agent",
        )
    assert not Territory.objects.filter(commune=commune).exists()
    monkeypatch.undo()
    territory = services.territory_create(
        actor=world.users["admin"],
        kind=TerritoryKind.COMMUNE,
        reference=commune,
        manager=manager,
        manager_role="agent",
    )
    assert TeamMember.objects.get(territory=territory, user=manager).is_manager
    assert _actions(territory) == ["territory.create", "team.add"]


def test_the_profile_is_saved_with_its_governance_in_order_under_the_territory_s_lock(world):
    territory = world.territory
    old = list(territory.governance_bodies.all())
    territory.description = "Un territoire qui coopère."
    kept = [
        GovernanceBody(name="CODEV", members=40),
        GovernanceBody(name="Conseil", members=23),
    ]
    with CaptureQueriesContext(connection) as queries:
        services.territory_profile_update(
            actor=world.users["agent"], territory=territory, governance=kept, removed_governance=old
        )
    assert _locks(queries, "territories_territory")
    territory = Territory.objects.get(pk=territory.pk)
    assert territory.description == "Un territoire qui coopère."
    assert list(territory.governance_bodies.values_list("name", "order")) == [
        ("CODEV", 0),
        ("Conseil", 1),
    ]
    assert _actions(territory)[-1] == "territory.update"


def test_the_profile_never_writes_the_fields_other_services_own(world):
    # The page holds a copy read before an admin unpublished the territory: saving the profile keeps that.
    copy = Territory.objects.get(pk=world.territory.pk)
    services.territory_publish(actor=world.users["admin"], territory=world.territory, is_published=False)
    copy.description = "Modifié"
    services.territory_profile_update(actor=world.users["agent"], territory=copy, governance=[])
    territory = Territory.objects.get(pk=world.territory.pk)
    assert territory.description == "Modifié" and not territory.is_published


def test_publishing_tells_the_apps_above_in_the_same_transaction_and_once(world):
    heard = []

    def receiver(sender, territory, **kwargs):
        heard.append((territory.pk, territory.is_published, connection.in_atomic_block))

    signals.territory_publication_changed.connect(receiver)
    try:
        services.territory_publish(actor=world.users["admin"], territory=world.territory, is_published=False)
        services.territory_publish(actor=world.users["admin"], territory=world.territory, is_published=False)
    finally:
        signals.territory_publication_changed.disconnect(receiver)
    assert heard == [(world.territory.pk, False, True)]
    assert _actions(world.territory)[-1] == "territory.unpublish"


def test_the_pilot_decisions_are_audited_and_the_publication_follows(world):
    territory = services.territory_publication_set(
        actor=world.users["admin"],
        territory=world.territory,
        is_pilot=True,
        pilot_since=2019,
        facilitators=[world.users["facilitator"]],
        carrier=None,
        is_published=False,
    )
    assert (territory.pilot_since, territory.is_published) == (2019, False)
    assert list(territory.facilitators.all()) == [world.users["facilitator"]]
    assert _actions(territory)[-2:] == ["territory.pilot", "territory.unpublish"]


def test_publishing_from_the_django_admin_goes_through_the_service_and_reindexes_the_library(world, client):
    territory = world.other_territory
    territory.name = "Causse Méjean"
    territory.save(update_fields=["name"])
    world.resource.territories.add(territory)
    model_admin = site._registry[Territory]
    request = RequestFactory().post("/")
    request.user = world.users["admin"]
    services.territory_publish(actor=world.users["admin"], territory=territory, is_published=False)
    assert list(client.get(reverse("library:list"), {"q": "Méjean"}).context["page"]) == []
    form_class = model_admin.get_form(request, territory)
    form = form_class(
        instance=territory, data=_posted(form_class(instance=territory).initial, is_published=True)
    )
    assert form.is_valid(), form.errors
    model_admin.save_model(request, form.save(commit=False), form, change=True)
    assert Territory.objects.get(pk=territory.pk).is_published
    assert _actions(territory)[-1] == "territory.publish"
    assert list(client.get(reverse("library:list"), {"q": "Méjean"}).context["page"]) == [world.resource]


def _posted(initial, **changes):
    """What the browser posts for a form showing `initial`, with `changes` made."""
    data = {}
    for name, value in {**initial, **changes}.items():
        if value is None or value is False or value == "" or (isinstance(value, FieldFile) and not value):
            continue
        if isinstance(value, list):
            data[name] = [getattr(item, "pk", item) for item in value]
        else:
            data[name] = "on" if value is True else getattr(value, "pk", value)
    return data


def test_a_milestone_is_saved_and_deleted_with_an_audit_entry_and_a_vanished_one_says_so(world):
    milestone = Milestone(territory=world.territory, kind=MilestoneKind.OTHER, title="Forum", start_year=2022)
    services.milestone_save(actor=world.users["elu"], milestone=milestone)
    milestone.title = "Forum citoyen"
    services.milestone_save(actor=world.users["elu"], milestone=milestone)
    stale = Milestone.objects.get(pk=milestone.pk)
    services.milestone_delete(actor=world.users["elu"], milestone=milestone)
    assert _actions(world.territory)[-3:] == ["milestone.create", "milestone.update", "milestone.delete"]
    with pytest.raises(DomainError, match="supprimée"):
        services.milestone_save(actor=world.users["elu"], milestone=stale)
    with pytest.raises(DomainError, match="supprimée"):
        services.milestone_delete(actor=world.users["elu"], milestone=stale)
    assert not Milestone.objects.filter(pk=milestone.pk).exists()


def _diagnostic(territory):
    return Diagnostic(territory=territory, date=TODAY, authors="L'équipe", findings="Des constats.")


def test_a_second_first_diagnostic_is_refused_under_the_territory_s_lock(world):
    territory = world.other_territory
    services.diagnostic_save(
        actor=world.users["admin"], diagnostic=Diagnostic(territory=territory, date=TODAY)
    )
    with CaptureQueriesContext(connection) as queries, pytest.raises(DomainError, match="quelqu'un d'autre"):
        services.diagnostic_save(
            actor=world.users["admin"], diagnostic=Diagnostic(territory=territory, date=TODAY)
        )
    assert _locks(queries, "territories_territory")
    assert Diagnostic.objects.filter(territory=territory).count() == 1
    assert _actions(territory) == ["diagnostic.create"]


def test_a_recommendation_number_taken_meanwhile_is_refused_beside_the_number(world):
    taken = Recommendation(
        diagnostic=world.recommendation.diagnostic, number=world.recommendation.number, text="x"
    )
    with pytest.raises(services.RecommendationNumberTaken):
        services.recommendation_save(actor=world.users["agent"], recommendation=taken, status=None)
