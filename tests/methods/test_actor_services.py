import pytest

from core.models import AuditEntry
from methods.models import Action, Actor, Influence, InfluenceSign, InfluenceStrength
from methods.services import actors as services
from methods.services.errors import MethodError
from projects import services as project_services
from projects.models import DeliverableKind, Stakeholder


def _add_action(world, agent, order, *, leads_to=(), carriers=None):
    return services.action_add(
        actor=agent,
        project=world.project,
        order=order,
        title=f"Action {order}",
        carriers=carriers or [world.actor],
        leads_to=leads_to,
    )


# --- Actors --------------------------------------------------------------------------------------------


def test_adding_an_actor_records_it_at_the_end_and_audits_it(world, agent):
    added = services.actor_add(
        actor=agent, project=world.project, name="  CNFPT   Occitanie ", family="autre", role="Formation"
    )
    assert added.name == "CNFPT Occitanie"
    assert added.position > world.actor_c.position
    assert AuditEntry.objects.filter(action="methods.actor.add", target_id=str(added.pk)).exists()


def test_two_actors_of_a_project_cannot_share_a_name(world, agent):
    with pytest.raises(MethodError, match="Un acteur s'appelle déjà « élus du syndicat » dans ce projet"):
        services.actor_add(actor=agent, project=world.project, name="élus du syndicat", family="elu")


def test_the_same_name_is_free_in_another_project(world, agent):
    other = services.actor_add(
        actor=world.users["outsider"], project=world.other_project, name="Élus du syndicat", family="elu"
    )
    assert other.project == world.other_project


def test_an_actor_needs_a_name_and_a_known_family(world, agent):
    with pytest.raises(MethodError, match="Donnez un nom"):
        services.actor_add(actor=agent, project=world.project, name="   ", family="elu")
    with pytest.raises(MethodError, match="Choisissez la famille"):
        services.actor_add(actor=agent, project=world.project, name="X", family="martien")


def test_updating_an_actor_keeps_its_name_unique(world, agent):
    with pytest.raises(MethodError, match="Groupe des DGS"):
        services.actor_update(
            actor=agent,
            target=world.actor,
            name="Groupe des DGS",
            family="elu",
            kind="person",
            role="",
            is_selected=True,
        )
    updated = services.actor_update(
        actor=agent,
        target=world.actor,
        name="Élus du Pôle",
        family="elu",
        kind="collective",
        role="Décident",
        is_selected=False,
    )
    updated.refresh_from_db()
    assert (updated.name, updated.role, updated.is_selected) == ("Élus du Pôle", "Décident", False)


def test_the_selection_of_actors_is_recorded_and_audited(world, agent):
    services.actor_select(actor=agent, target=world.actor_c, is_selected=False)
    world.actor_c.refresh_from_db()
    assert world.actor_c.is_selected is False
    assert AuditEntry.objects.filter(action="methods.actor.select").exists()


def test_deleting_an_actor_takes_its_influences_with_it(world, agent):
    pk = world.actor.pk
    services.actor_delete(actor=agent, target=world.actor)
    assert not Influence.objects.filter(pk=world.influence.pk).exists()
    assert list(world.action.carriers.all()) == [world.actor_b]
    assert AuditEntry.objects.filter(action="methods.actor.delete", target_id=str(pk)).exists()


def test_an_actor_carrying_an_action_alone_cannot_be_deleted(world, agent):
    with pytest.raises(MethodError, match="« Groupe des DGS » porte seul l'action « 1. Croisement"):
        services.actor_delete(actor=agent, target=world.actor_b)
    assert Actor.objects.filter(pk=world.actor_b.pk).exists()


def test_nothing_changes_on_an_abandoned_project(world, agent):
    project_services.project_abandon(actor=agent, project=world.project, reason="Fin du financement.")
    with pytest.raises(MethodError, match="abandonné"):
        services.actor_add(actor=agent, project=world.project, name="Nouveau", family="elu")


# --- The import from the note de cadrage ----------------------------------------------------------------


def test_stakeholders_of_the_note_de_cadrage_become_actors_once(world, agent):
    cadrage = world.project.deliverables.get(kind=DeliverableKind.CADRAGE)
    Stakeholder.objects.create(
        deliverable=cadrage, name="Marie Dupont", organisation="CNFPT", family="autre", involvement="indirect"
    )
    imported = services.actors_import_stakeholders(actor=agent, project=world.project)
    assert sorted(a.name for a in imported) == ["Groupe des agents", "Marie Dupont (CNFPT)"]
    cnfpt = next(a for a in imported if a.name == "Marie Dupont (CNFPT)")
    assert (cnfpt.family, cnfpt.stakeholder.name) == ("autre", "Marie Dupont")
    assert AuditEntry.objects.filter(action="methods.actor.import").count() == 1

    assert services.actors_import_stakeholders(actor=agent, project=world.project) == []
    assert world.project.actors.count() == 5
    assert not services.stakeholders_to_import(world.project).exists()


def test_an_actor_typed_under_the_stakeholders_name_is_linked_not_doubled(world, agent):
    typed = services.actor_add(actor=agent, project=world.project, name="groupe des agents", family="agent")
    imported = services.actors_import_stakeholders(actor=agent, project=world.project)
    assert imported == [typed]
    typed.refresh_from_db()
    assert typed.stakeholder == world.stakeholder
    assert world.project.actors.count() == 4


def test_only_the_chosen_stakeholders_are_imported(world, agent):
    cadrage = world.cadrage
    other = Stakeholder.objects.create(deliverable=cadrage, name="Préfecture", family="etat")
    imported = services.actors_import_stakeholders(actor=agent, project=world.project, stakeholders=[other])
    assert [a.name for a in imported] == ["Préfecture"]
    assert list(services.stakeholders_to_import(world.project)) == [world.stakeholder]


def test_stakeholders_of_another_project_are_not_imported(world, agent):
    with pytest.raises(MethodError, match="Choisissez au moins une partie prenante"):
        services.actors_import_stakeholders(
            actor=agent,
            project=world.other_project,
            stakeholders=[world.stakeholder],
        )


def test_two_stakeholders_of_the_same_name_get_two_actors(world, agent):
    Stakeholder.objects.create(deliverable=world.cadrage, name="Groupe des agents", family="agent")
    imported = services.actors_import_stakeholders(actor=agent, project=world.project)
    assert sorted(a.name for a in imported) == ["Groupe des agents", "Groupe des agents (2)"]


# --- Influences ----------------------------------------------------------------------------------------


def test_an_influence_links_two_actors_of_the_project(world, agent):
    influence = services.influence_add(
        actor=agent,
        project=world.project,
        source=world.actor,
        target=world.actor_c,
        strength=InfluenceStrength.WEAK,
        sign=InfluenceSign.NEGATIVE,
        comment=" Méfiance ",
    )
    assert (influence.comment, influence.sign) == ("Méfiance", "negative")
    assert AuditEntry.objects.filter(action="methods.influence.add", target_id=str(influence.pk)).exists()


def test_an_influence_towards_an_actor_of_another_project_is_refused_clearly(world, agent):
    with pytest.raises(MethodError, match="« Élus d'ailleurs » n'est pas un acteur de ce projet"):
        services.influence_add(
            actor=agent, project=world.project, source=world.actor, target=world.other_actor
        )
    assert not Influence.objects.filter(target=world.other_actor).exists()


def test_an_actor_has_no_influence_on_itself(world, agent):
    with pytest.raises(MethodError, match="ne peut pas avoir d'influence sur lui-même"):
        services.influence_add(actor=agent, project=world.project, source=world.actor, target=world.actor)


def test_the_same_influence_is_not_recorded_twice(world, agent):
    with pytest.raises(
        MethodError, match="L'influence de « Groupe des DGS » sur « Élus du syndicat » est déjà"
    ):
        services.influence_add(actor=agent, project=world.project, source=world.actor_b, target=world.actor)


def test_the_influence_back_is_another_influence(world, agent):
    back = services.influence_add(
        actor=agent, project=world.project, source=world.actor, target=world.actor_b
    )
    assert back.pk != world.influence.pk


def test_an_influence_can_be_changed_but_not_into_a_duplicate(world, agent):
    other = services.influence_add(
        actor=agent, project=world.project, source=world.actor_c, target=world.actor
    )
    with pytest.raises(MethodError, match="est déjà sur la carte"):
        services.influence_update(
            actor=agent,
            influence=other,
            source=world.actor_b,
            target=world.actor,
            strength="weak",
            sign="positive",
            comment="",
        )
    services.influence_update(
        actor=agent,
        influence=other,
        source=world.actor_c,
        target=world.actor,
        strength="strong",
        sign="negative",
        comment="Contrôle de légalité",
    )
    other.refresh_from_db()
    assert (other.strength, other.sign, other.comment) == ("strong", "negative", "Contrôle de légalité")


def test_deleting_an_influence_is_audited(world, agent):
    pk = world.influence.pk
    services.influence_delete(actor=agent, influence=world.influence)
    assert not Influence.objects.filter(pk=pk).exists()
    assert AuditEntry.objects.filter(action="methods.influence.delete", target_id=str(pk)).exists()


# --- The chain of actions ------------------------------------------------------------------------------


def test_an_action_is_carried_by_actors_of_the_project(world, agent):
    action = _add_action(world, agent, 2, carriers=[world.actor_c])
    assert list(action.carriers.all()) == [world.actor_c]
    with pytest.raises(MethodError, match="« Élus d'ailleurs » n'est pas un acteur de ce projet"):
        _add_action(world, agent, 3, carriers=[world.other_actor])


def test_an_action_needs_a_carrier_and_a_title(world, agent):
    with pytest.raises(MethodError, match="au moins un acteur qui porte l'action"):
        services.action_add(actor=agent, project=world.project, order=5, title="Seule", carriers=[])
    with pytest.raises(MethodError, match="Donnez un intitulé"):
        services.action_add(actor=agent, project=world.project, order=5, title=" ", carriers=[world.actor])


def test_two_actions_cannot_share_an_order(world, agent):
    with pytest.raises(
        MethodError, match="L'ordre 1 est déjà celui de l'action « Croisement des points de vue »"
    ):
        _add_action(world, agent, 1)


def test_an_action_leads_only_to_actions_of_the_project(world, agent):
    foreign = Action.objects.create(project=world.other_project, order=0, title="Ailleurs")
    with pytest.raises(MethodError, match="L'action « 0. Ailleurs » n'est pas de ce projet"):
        _add_action(world, agent, 2, leads_to=[foreign])


def test_a_loop_in_the_chain_of_actions_is_refused_and_named(world, agent):
    # 0 → 1 exists: making 1 lead back to 0 would loop.
    with pytest.raises(MethodError) as refused:
        services.action_update(
            actor=agent,
            action=world.action_b,
            order=1,
            title=world.action_b.title,
            carriers=[world.actor_b],
            leads_to=[world.action],
        )
    assert refused.value.message == "Cette suite d'actions ferait une boucle : 0 → 1 → 0."
    assert list(world.action_b.leads_to.all()) == []


def test_a_longer_loop_is_named_with_every_step(world, agent):
    third = _add_action(world, agent, 2)
    services.action_update(
        actor=agent,
        action=world.action_b,
        order=1,
        title=world.action_b.title,
        carriers=[world.actor_b],
        leads_to=[third],
    )
    with pytest.raises(MethodError, match=r"boucle : 0 → 1 → 2 → 0\."):
        services.action_update(
            actor=agent,
            action=third,
            order=2,
            title=third.title,
            carriers=[world.actor],
            leads_to=[world.action],
        )


def test_an_action_leading_to_itself_is_a_loop(world, agent):
    with pytest.raises(MethodError, match=r"boucle : 0 → 0\."):
        services.action_update(
            actor=agent,
            action=world.action,
            order=0,
            title=world.action.title,
            carriers=[world.actor],
            leads_to=[world.action],
        )


def test_a_new_action_may_lead_into_the_chain(world, agent):
    start = services.action_add(
        actor=agent,
        project=world.project,
        order=5,
        title="Sensibilisation",
        carriers=[world.actor],
        leads_to=[world.action],
    )
    assert list(start.leads_to.all()) == [world.action]
    assert AuditEntry.objects.filter(action="methods.action.add", target_id=str(start.pk)).exists()


def test_deleting_an_action_unlinks_it_from_the_chain(world, agent):
    pk = world.action_b.pk
    services.action_delete(actor=agent, action=world.action_b)
    assert list(world.action.leads_to.all()) == []
    assert AuditEntry.objects.filter(action="methods.action.delete", target_id=str(pk)).exists()
