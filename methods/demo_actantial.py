"""Demo data of the actantial schema: the Tarn pilot's project "Management des organisations par la
coopération" (DOMAIN.md §3) told as a Greimas schema. An entry names one of the project's actors when the
actor map has one that matches, and is a free label otherwise. Idempotent: an entry already there (same
actant, same name) is not added again."""

from .models import Actant, ActantEntry, Actor
from .services import actantial

QUEST = (
    "Expérimenter un protocole entre pairs : les agents et les DGS qualifient leurs points de vue, les "
    "croisent, puis interpellent ensemble les élus"
)

# (actant, label when no actor matches, actor names matched exactly, words an actor's name may contain)
ENTRIES = (
    (
        Actant.DESTINATEUR,
        "Les élus du syndicat",
        ("les élus du syndicat", "élus du syndicat", "les élu·es du syndicat", "comité syndical"),
        ("élus du syndicat", "élu·es du syndicat", "comité syndical"),
    ),
    (Actant.DESTINATEUR, "La transition écologique du territoire", (), ()),
    (
        Actant.SUJET,
        "L'équipe technique du Pôle",
        ("l'équipe technique du pôle", "équipe technique du pôle", "l'équipe technique"),
        ("équipe technique",),
    ),
    (Actant.OBJET, "Un management par la coopération entre agents, DGS et élus", (), ()),
    (
        Actant.ADJUVANT,
        "La Fabrique des Transitions",
        ("la fabrique des transitions", "fabrique des transitions"),
        ("fabrique des transitions",),
    ),
    (Actant.ADJUVANT, "Le CNFPT", ("le cnfpt", "cnfpt"), ("cnfpt",)),
    (
        Actant.ADJUVANT,
        "Le groupe des agents",
        ("le groupe des agents", "groupe des agents"),
        ("groupe des agents",),
    ),
    (Actant.OPPOSANT, "La logique d'appel à projets", (), ()),
    (Actant.OPPOSANT, "Une couche administrative de plus", (), ()),
    (Actant.OPPOSANT, "Le temps", (), ()),
    (Actant.DESTINATAIRE, "Les agents", ("les agents", "agents", "les agents des collectivités"), ()),
    (Actant.DESTINATAIRE, "Les habitants", ("les habitants", "habitants", "les habitant·es"), ("habitant",)),
    (
        Actant.DESTINATAIRE,
        "Les 5 communautés de communes",
        ("les 5 communautés de communes", "les cinq communautés de communes"),
        ("communautés de communes",),
    ),
)


def _normalised(name: str) -> str:
    return " ".join(name.replace("’", "'").lower().split())


def _match(actors, names, words):
    for actor in actors:
        if _normalised(actor.name) in names:
            return actor
    for actor in actors:
        if any(word in _normalised(actor.name) for word in words):
            return actor
    return None


def seed_actantial_schema(project, *, actor_user):
    """The project's schema with its quest and the entries of the pilot; returns the schema."""
    schema = actantial.schema_ensure(actor=actor_user, project=project)
    if schema.quest != QUEST:
        schema = actantial.schema_update(actor=actor_user, schema=schema, quest=QUEST)
    actors = list(Actor.objects.filter(project=project).order_by("position", "pk"))
    existing = {
        (entry.actant, _normalised(entry.display_name))
        for entry in ActantEntry.objects.filter(schema=schema).select_related("actor")
    }
    for actant, label, names, words in ENTRIES:
        match = _match(actors, names, words)
        name = match.name if match is not None else label
        if (actant, _normalised(name)) in existing:
            continue
        actantial.entry_add(
            actor=actor_user,
            schema=schema,
            actant=actant,
            project_actor=match,
            label="" if match is not None else label,
        )
        existing.add((actant, _normalised(name)))
    return schema
