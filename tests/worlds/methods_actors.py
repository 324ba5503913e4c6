"""The actors tool's objects in the test world: on the pilot's project, three actors, an influence and two
chained actions; on the other territory's project, one actor (for the checks across projects). The note de
cadrage's stakeholder (world.stakeholder) is left to import."""

from methods.models import ActorKind, InfluenceSign, InfluenceStrength
from methods.services import actors as services


def build(world):
    agent = world.users["agent"]
    project = world.project
    world.actor = services.actor_add(
        actor=agent, project=project, name="Élus du syndicat", family="elu", kind=ActorKind.COLLECTIVE
    )
    world.actor_b = services.actor_add(
        actor=agent, project=project, name="Groupe des DGS", family="agent", role="Espace de pairs"
    )
    world.actor_c = services.actor_add(
        actor=agent, project=project, name="Sous-préfecture", family="etat", kind=ActorKind.ORGANISATION
    )
    world.influence = services.influence_add(
        actor=agent,
        project=project,
        source=world.actor_b,
        target=world.actor,
        strength=InfluenceStrength.STRONG,
        sign=InfluenceSign.POSITIVE,
        comment="Interpellation tripartite",
    )
    world.action_b = services.action_add(
        actor=agent, project=project, order=1, title="Croisement des points de vue", carriers=[world.actor_b]
    )
    world.action = services.action_add(
        actor=agent,
        project=project,
        order=0,
        title="Diagnostic initial",
        carriers=[world.actor, world.actor_b],
        leads_to=[world.action_b],
    )
    world.other_actor = services.actor_add(
        actor=world.users["outsider"], project=world.other_project, name="Élus d'ailleurs", family="elu"
    )
