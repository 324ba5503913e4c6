"""The actantial schema's rules: one schema per quest (the project's own may have none), entries naming an
actor of the same project or a free label, each change audited."""

import pytest

from core.models import AuditEntry
from methods.models import Actant, ActantEntry, ActantialSchema, Actor
from methods.services import actantial
from methods.services.errors import MethodError

pytestmark = pytest.mark.django_db


def actions(target):
    return list(
        AuditEntry.objects.filter(target_id=str(target.pk), action__startswith="methods.actantial.")
        .order_by("pk")
        .values_list("action", flat=True)
    )


def names(schema, actant):
    return [e.display_name for e in schema.entries.filter(actant=actant).order_by("position", "pk")]


# --- Schemas -------------------------------------------------------------------------------------------


def test_a_project_has_one_schema_without_a_quest_then_one_per_quest(world, agent):
    quest = actantial.schema_create(actor=agent, project=world.project, quest="  Former   les managers ")
    assert quest.quest == "Former les managers"
    with pytest.raises(MethodError) as refused:
        actantial.schema_create(actor=agent, project=world.project)
    assert refused.value.message == "Donnez la quête de ce nouveau schéma."
    with pytest.raises(MethodError) as refused:
        actantial.schema_create(actor=agent, project=world.project, quest="former les MANAGERS")
    assert refused.value.message == "Le projet a déjà un schéma pour la quête « former les MANAGERS »."
    # The same quest in another project is another schema.
    actantial.schema_create(actor=agent, project=world.draft_project, quest="Former les managers")
    assert actions(quest) == ["methods.actantial.schema_create"]


def test_the_project_schema_is_its_first_and_is_created_once(world, agent):
    project = world.draft_project
    assert actantial.main_schema(project) is None
    first = actantial.schema_ensure(actor=agent, project=project)
    assert first.quest == ""
    assert actantial.schema_ensure(actor=agent, project=project) == first
    assert ActantialSchema.objects.filter(project=project).count() == 1
    assert actantial.main_schema(world.project) == world.schema


def test_a_quest_is_renamed_but_never_to_one_already_taken(world, agent):
    other = actantial.schema_create(actor=agent, project=world.project, quest="Réseaux inter-EPCI")
    renamed = actantial.schema_update(actor=agent, schema=other, quest="Réseaux de pairs")
    assert renamed.quest == "Réseaux de pairs"
    actantial.schema_update(actor=agent, schema=world.schema, quest="Coopérer")
    with pytest.raises(MethodError) as refused:
        actantial.schema_update(actor=agent, schema=other, quest="coopérer")
    assert "déjà un schéma pour la quête « coopérer »" in refused.value.message
    with pytest.raises(MethodError) as refused:
        actantial.schema_update(actor=agent, schema=other, quest="")
    assert (
        refused.value.message == "Donnez la quête de ce schéma : seul le schéma du projet peut s'en passer."
    )
    with pytest.raises(MethodError) as refused:
        actantial.schema_update(actor=agent, schema=other, quest="x" * 301)
    assert refused.value.message == "La quête tient en 300 caractères au plus."
    # The project's schema may go back to no quest at all.
    assert actantial.schema_update(actor=agent, schema=world.schema, quest=" ").quest == ""
    assert actions(other) == ["methods.actantial.schema_create", "methods.actantial.schema_update"]
    assert actions(world.schema)[-2:] == [
        "methods.actantial.schema_update",
        "methods.actantial.schema_update",
    ]


def test_a_quest_schema_is_deleted_with_its_entries_but_the_project_schema_stays(world, agent):
    other = actantial.schema_create(actor=agent, project=world.project, quest="Réseaux inter-EPCI")
    actantial.entry_add(actor=agent, schema=other, actant=Actant.OPPOSANT, label="Le temps")
    actantial.schema_delete(actor=agent, schema=other)
    assert not ActantialSchema.objects.filter(pk=other.pk).exists()
    assert not ActantEntry.objects.filter(label="Le temps").exists()
    assert AuditEntry.objects.filter(action="methods.actantial.schema_delete", data__schema=other.pk).exists()
    with pytest.raises(MethodError) as refused:
        actantial.schema_delete(actor=agent, schema=world.schema)
    assert (
        refused.value.message == "Le schéma du projet ne se supprime pas : retirez-en les entrées si besoin."
    )
    assert ActantialSchema.objects.filter(pk=world.schema.pk).exists()


# --- Entries -------------------------------------------------------------------------------------------


def test_an_entry_names_an_actor_of_the_project_or_a_free_label(world, agent):
    schema = world.schema
    cnfpt = Actor.objects.create(project=world.project, name="CNFPT", family="etat")
    actantial.entry_add(actor=agent, schema=schema, actant=Actant.ADJUVANT, project_actor=cnfpt)
    entry = actantial.entry_add(
        actor=agent, schema=schema, actant=Actant.ADJUVANT, label="  La  Fabrique ", note="Accompagne"
    )
    assert (entry.label, entry.note, entry.actor) == ("La Fabrique", "Accompagne", None)
    assert names(schema, Actant.ADJUVANT) == ["CNFPT", "La Fabrique"]
    # The same actor may play two parts.
    actantial.entry_add(actor=agent, schema=schema, actant=Actant.DESTINATAIRE, project_actor=cnfpt)
    assert actions(schema).count("methods.actantial.entry_add") == 4  # with the world's own entry


def test_an_actor_of_another_project_is_refused_with_a_clear_message(world, agent):
    stranger = Actor.objects.create(project=world.other_project, name="Un acteur d'ailleurs", family="elu")
    with pytest.raises(MethodError) as refused:
        actantial.entry_add(actor=agent, schema=world.schema, actant=Actant.ADJUVANT, project_actor=stranger)
    assert refused.value.message == (
        "Cet acteur appartient à un autre projet : choisissez un acteur de ce projet, ou écrivez un "
        "intitulé libre."
    )
    with pytest.raises(MethodError):
        actantial.entry_update(
            actor=agent, entry=world.actant_entry, actant=Actant.SUJET, project_actor=stranger
        )
    assert not ActantEntry.objects.filter(actor=stranger).exists()


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"actant": Actant.OBJET, "label": "  "}, "Choisissez un acteur du projet ou écrivez un intitulé."),
        ({"actant": "heros", "label": "Ulysse"}, "Choisissez l'un des six actants."),
        ({"actant": Actant.OBJET, "label": "x" * 201}, "« intitulé » tient en 200 caractères au plus."),
        (
            {"actant": Actant.OBJET, "label": "Un objet", "note": "x" * 301},
            "« précision » tient en 300 caractères au plus.",
        ),
    ],
)
def test_a_bad_entry_is_refused_with_a_french_message(world, agent, values, message):
    with pytest.raises(MethodError) as refused:
        actantial.entry_add(actor=agent, schema=world.schema, **values)
    assert refused.value.message == message


def test_an_entry_is_either_an_actor_or_a_label_and_never_twice_in_one_actant(world, agent):
    actor = world.actant_entry.actor
    with pytest.raises(MethodError) as refused:
        actantial.entry_add(
            actor=agent, schema=world.schema, actant=Actant.OBJET, project_actor=actor, label="Aussi"
        )
    assert "pas les deux à la fois" in refused.value.message
    with pytest.raises(MethodError) as refused:
        actantial.entry_add(actor=agent, schema=world.schema, actant=Actant.SUJET, project_actor=actor)
    assert refused.value.message == f"« {actor.name} » figure déjà dans ce schéma comme sujet."
    actantial.entry_add(actor=agent, schema=world.schema, actant=Actant.OPPOSANT, label="Le temps")
    with pytest.raises(MethodError) as refused:
        actantial.entry_add(actor=agent, schema=world.schema, actant=Actant.OPPOSANT, label="le TEMPS")
    assert refused.value.message == "« le TEMPS » figure déjà dans ce schéma comme opposant."


def test_an_entry_changed_to_another_actant_goes_to_the_end_of_its_list(world, agent):
    schema = world.schema
    for label in ("Les agents", "Les habitants"):
        actantial.entry_add(actor=agent, schema=schema, actant=Actant.DESTINATAIRE, label=label)
    entry = actantial.entry_add(actor=agent, schema=schema, actant=Actant.ADJUVANT, label="Le CNFPT")
    changed = actantial.entry_update(
        actor=agent, entry=entry, actant=Actant.DESTINATAIRE, label="Les élus", note="À la fin"
    )
    assert names(schema, Actant.DESTINATAIRE) == ["Les agents", "Les habitants", "Les élus"]
    assert changed.note == "À la fin" and names(schema, Actant.ADJUVANT) == []
    with pytest.raises(MethodError) as refused:
        actantial.entry_update(actor=agent, entry=changed, actant=Actant.DESTINATAIRE, label="les agents")
    assert "figure déjà" in refused.value.message
    assert "methods.actantial.entry_update" in actions(schema)


def test_entries_move_up_and_down_within_their_actant(world, agent):
    schema = world.schema
    entries = [
        actantial.entry_add(actor=agent, schema=schema, actant=Actant.OPPOSANT, label=label)
        for label in ("A", "B", "C")
    ]
    actantial.entry_move(actor=agent, entry=entries[2], direction="up")
    assert names(schema, Actant.OPPOSANT) == ["A", "C", "B"]
    actantial.entry_move(actor=agent, entry=entries[0], direction="down")
    assert names(schema, Actant.OPPOSANT) == ["C", "A", "B"]
    # At either end nothing moves, and nothing is recorded.
    actantial.entry_move(actor=agent, entry=ActantEntry.objects.get(pk=entries[2].pk), direction="up")
    assert names(schema, Actant.OPPOSANT) == ["C", "A", "B"]
    with pytest.raises(MethodError):
        actantial.entry_move(actor=agent, entry=entries[0], direction="sideways")
    assert actions(schema).count("methods.actantial.entry_move") == 2


def test_an_entry_is_deleted_and_the_deletion_audited(world, agent):
    entry = world.actant_entry
    pk = entry.pk
    actantial.entry_delete(actor=agent, entry=entry)
    assert not ActantEntry.objects.filter(pk=pk).exists()
    audit = AuditEntry.objects.get(action="methods.actantial.entry_delete")
    assert audit.actor == agent and audit.data["entry"] == pk and audit.data["actant"] == "sujet"
