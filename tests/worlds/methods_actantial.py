"""The actantial tool's objects in the test world: the pilot project's schema with one entry naming one of
its actors (the actors builder's world.actor when there is one), and a schema of the other territory's
project."""

from methods.models import Actant, Actor
from methods.services import actantial


def build(world):
    agent = world.users["agent"]
    actor = getattr(world, "actor", None)
    if actor is None or actor.project_id != world.project.pk:
        actor, _created = Actor.objects.get_or_create(
            project=world.project, name="L'équipe technique du Pôle", defaults={"family": "agent"}
        )
    world.schema = actantial.schema_create(actor=agent, project=world.project)
    world.actant_entry = actantial.entry_add(
        actor=agent, schema=world.schema, actant=Actant.SUJET, project_actor=actor
    )
    world.other_schema = actantial.schema_create(
        actor=world.users["outsider"], project=world.other_project, quest="Une quête d'ailleurs"
    )
