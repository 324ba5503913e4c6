"""The demo's actantial schema for the Tarn pilot: the method's example, linked to the project's actors
when the actor map has them, and seeded only once however often the demo runs."""

import pytest

from methods.demo_actantial import QUEST, seed_actantial_schema
from methods.models import ActantEntry, ActantialSchema, Actor

pytestmark = pytest.mark.django_db


def entries(schema):
    return [
        (entry.actant, entry.display_name, entry.actor_id is not None)
        for entry in schema.entries.select_related("actor").order_by("actant", "position")
    ]


def test_the_pilot_schema_is_seeded_once_with_labels_when_no_actor_matches(world):
    project = world.draft_project
    schema = seed_actantial_schema(project, actor_user=world.users["agent"])
    assert schema.quest == QUEST
    seeded = entries(schema)
    assert ("objet", "Un management par la coopération entre agents, DGS et élus", False) in seeded
    assert ("opposant", "La logique d'appel à projets", False) in seeded
    assert ("destinataire", "Les 5 communautés de communes", False) in seeded
    assert len(seeded) == 13
    again = seed_actantial_schema(project, actor_user=world.users["agent"])
    assert again == schema and entries(again) == seeded
    assert ActantialSchema.objects.filter(project=project).count() == 1


def test_the_pilot_schema_names_the_projects_actors_when_the_map_has_them(world):
    project = world.draft_project
    cnfpt = Actor.objects.create(project=project, name="CNFPT", family="etat")
    fabrique = Actor.objects.create(project=project, name="La Fabrique des Transitions", family="autre")
    elus = Actor.objects.create(project=project, name="Les élus du syndicat", family="elu")
    schema = seed_actantial_schema(project, actor_user=world.users["agent"])
    assert ActantEntry.objects.get(schema=schema, actor=cnfpt).actant == "adjuvant"
    assert ActantEntry.objects.get(schema=schema, actor=fabrique).actant == "adjuvant"
    assert ActantEntry.objects.get(schema=schema, actor=elus).actant == "destinateur"
    assert not ActantEntry.objects.filter(schema=schema, label="Le CNFPT").exists()
    seed_actantial_schema(project, actor_user=world.users["agent"])
    assert schema.entries.count() == 13
