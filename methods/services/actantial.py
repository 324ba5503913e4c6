"""The actantial schema (Greimas' actantial model, DOMAIN.md §5): per project, and optionally per quest.

A project's first schema is "le schéma du projet": it is created, with an empty quest, the first time an
editor opens the tool, and it cannot be deleted (its entries can); it may be given a quest like any other.
The other schemas are one per quest, so they always name one. The quest is unique within a project.

Each of the six actants holds ordered entries: an actor of the same project, or a free label (a thing, an
idea, a force…), with an optional précision.
"""

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.audit import audit
from projects.models import Stage

from ..models import Actant, ActantEntry, ActantialSchema, Actor
from .errors import MethodError

AUDIT_LABELS = {
    "methods.actantial.schema_create": gettext_lazy("Schéma actantiel créé"),
    "methods.actantial.schema_update": gettext_lazy("Quête du schéma actantiel modifiée"),
    "methods.actantial.schema_delete": gettext_lazy("Schéma actantiel supprimé"),
    "methods.actantial.entry_add": gettext_lazy("Entrée ajoutée au schéma actantiel"),
    "methods.actantial.entry_update": gettext_lazy("Entrée du schéma actantiel modifiée"),
    "methods.actantial.entry_delete": gettext_lazy("Entrée du schéma actantiel supprimée"),
    "methods.actantial.entry_move": gettext_lazy("Entrée du schéma actantiel déplacée"),
}
NOTIFICATION_KINDS = {}

# The six actants in the order the method presents them, with the plural form the slides use.
ACTANT_ORDER = (
    Actant.DESTINATEUR,
    Actant.SUJET,
    Actant.OBJET,
    Actant.ADJUVANT,
    Actant.OPPOSANT,
    Actant.DESTINATAIRE,
)
ACTANT_TITLES = {
    Actant.DESTINATEUR: gettext_lazy("Destinateur(s)"),
    Actant.SUJET: gettext_lazy("Sujet"),
    Actant.OBJET: gettext_lazy("Objet(s)"),
    Actant.ADJUVANT: gettext_lazy("Adjuvant(s)"),
    Actant.OPPOSANT: gettext_lazy("Opposant(s)"),
    Actant.DESTINATAIRE: gettext_lazy("Destinataire(s)"),
}
DEFINITIONS = {
    Actant.DESTINATEUR: gettext_lazy(
        "Qui donne au sujet une mission ou une quête ; une personne, une chose, une force psychologique, "
        "une idée…"
    ),
    Actant.SUJET: gettext_lazy(
        "Qui doit accomplir la quête donnée par le destinateur ; le personnage principal de l'histoire."
    ),
    Actant.OBJET: gettext_lazy(
        "L'objet de la quête, ce pour quoi le sujet accomplit ses missions ; réel ou abstrait."
    ),
    Actant.ADJUVANT: gettext_lazy(
        "Ceux qui aident le sujet à accomplir sa quête ; souvent des personnages secondaires, ou un objet."
    ),
    Actant.OPPOSANT: gettext_lazy(
        "Ceux qui font obstacle à la quête ; des personnages secondaires ou des obstacles physiques."
    ),
    Actant.DESTINATAIRE: gettext_lazy(
        "Ceux qui bénéficient de la quête une fois accomplie ; ce peut être le sujet, le destinateur, les "
        "adjuvants ou des personnages extérieurs."
    ),
}
ADD_LABELS = {
    Actant.DESTINATEUR: gettext_lazy("Ajouter un destinateur"),
    Actant.SUJET: gettext_lazy("Ajouter un sujet"),
    Actant.OBJET: gettext_lazy("Ajouter un objet"),
    Actant.ADJUVANT: gettext_lazy("Ajouter un adjuvant"),
    Actant.OPPOSANT: gettext_lazy("Ajouter un opposant"),
    Actant.DESTINATAIRE: gettext_lazy("Ajouter un destinataire"),
}
QUEST_DEFINITION = gettext_lazy(
    "Donnée par le destinateur pour obtenir un objet ou une récompense ; elle regroupe toutes les actions "
    "qui vont se dérouler."
)

QUEST_MAX = ActantialSchema._meta.get_field("quest").max_length


def main_schema(project) -> ActantialSchema | None:
    """The project's schema: its first one."""
    return ActantialSchema.objects.filter(project=project).order_by("pk").first()


def _clean_quest(quest: str) -> str:
    quest = " ".join((quest or "").split())
    if len(quest) > QUEST_MAX:
        raise MethodError(_("La quête tient en %(max)s caractères au plus.") % {"max": QUEST_MAX})
    return quest


def _duplicate_quest_message(quest: str) -> str:
    if not quest:
        return _("Le projet a déjà un schéma sans quête : donnez une quête à ce schéma.")
    return _("Le projet a déjà un schéma pour la quête « %(quest)s ».") % {"quest": quest}


def _quest_taken(project, quest, *, exclude=None) -> bool:
    schemas = ActantialSchema.objects.filter(project=project, quest__iexact=quest)
    if exclude is not None:
        schemas = schemas.exclude(pk=exclude.pk)
    return schemas.exists()


def schema_create(*, actor, project, quest: str = "") -> ActantialSchema:
    """The project's schema (the first one, whose quest may stay empty), or a schema for one more quest."""
    quest = _clean_quest(quest)
    with transaction.atomic():
        # Serialises the creations in a project, so that two people opening the tool make one schema.
        _refuse_if_abandoned(type(project).objects.select_for_update().get(pk=project.pk))
        is_first = not ActantialSchema.objects.filter(project=project).exists()
        if not quest and not is_first:
            raise MethodError(_("Donnez la quête de ce nouveau schéma."))
        if _quest_taken(project, quest):
            raise MethodError(_duplicate_quest_message(quest))
        schema = ActantialSchema.objects.create(project=project, quest=quest)
        audit(actor=actor, action="methods.actantial.schema_create", target=schema, project=project.pk)
    return schema


def schema_ensure(*, actor, project) -> ActantialSchema:
    """The project's schema, created (empty) the first time an editor opens the tool."""
    schema = main_schema(project)
    if schema is not None:
        return schema
    try:
        return schema_create(actor=actor, project=project)
    except MethodError:
        # Created meanwhile by someone else.
        return main_schema(project)


def schema_update(*, actor, schema: ActantialSchema, quest: str) -> ActantialSchema:
    """Rename the quest. Only the project's schema may be left without a quest."""
    quest = _clean_quest(quest)
    with transaction.atomic():
        schema = _lock(schema)
        if not quest and schema.pk != main_schema(schema.project).pk:
            raise MethodError(_("Donnez la quête de ce schéma : seul le schéma du projet peut s'en passer."))
        if _quest_taken(schema.project, quest, exclude=schema):
            raise MethodError(_duplicate_quest_message(quest))
        before = schema.quest
        if before == quest:
            return schema
        schema.quest = quest
        try:
            with transaction.atomic():
                schema.save(update_fields=["quest", "updated_at"])
        except IntegrityError as clash:
            raise MethodError(_duplicate_quest_message(quest)) from clash
        audit(
            actor=actor, action="methods.actantial.schema_update", target=schema, before=before, after=quest
        )
    return schema


def schema_delete(*, actor, schema: ActantialSchema) -> None:
    """A quest's schema goes with its entries; the project's schema stays (its entries can be removed)."""
    with transaction.atomic():
        schema = _lock(schema)
        if schema.pk == main_schema(schema.project).pk:
            raise MethodError(_("Le schéma du projet ne se supprime pas : retirez-en les entrées si besoin."))
        audit(
            actor=actor,
            action="methods.actantial.schema_delete",
            target=schema.project,
            schema=schema.pk,
            quest=schema.quest,
        )
        schema.delete()


# --- Entries -------------------------------------------------------------------------------------------


def _clean_entry(schema, actant, project_actor, label, note):
    if actant not in Actant.values:
        raise MethodError(_("Choisissez l'un des six actants."))
    label = " ".join((label or "").split())
    note = " ".join((note or "").split())
    if project_actor is not None and project_actor.project_id != schema.project_id:
        raise MethodError(
            _(
                "Cet acteur appartient à un autre projet : choisissez un acteur de ce projet, ou écrivez "
                "un intitulé libre."
            )
        )
    if project_actor is None and not label:
        raise MethodError(_("Choisissez un acteur du projet ou écrivez un intitulé."))
    if project_actor is not None and label:
        raise MethodError(
            _("Choisissez un acteur du projet ou écrivez un intitulé libre, mais pas les deux à la fois.")
        )
    for field, value in (("label", label), ("note", note)):
        limit = ActantEntry._meta.get_field(field).max_length
        if len(value) > limit:
            raise MethodError(
                _("« %(field)s » tient en %(max)s caractères au plus.")
                % {"field": ActantEntry._meta.get_field(field).verbose_name, "max": limit}
            )
    return label, note


def _check_not_twice(schema, actant, project_actor, label, *, exclude=None):
    entries = ActantEntry.objects.filter(schema=schema, actant=actant)
    if exclude is not None:
        entries = entries.exclude(pk=exclude.pk)
    if project_actor is not None:
        twice = entries.filter(actor=project_actor).exists()
        name = project_actor.name
    else:
        twice = entries.filter(actor__isnull=True, label__iexact=label).exists()
        name = label
    if twice:
        raise MethodError(
            _("« %(name)s » figure déjà dans ce schéma comme %(actant)s.")
            % {"name": name, "actant": Actant(actant).label.lower()}
        )


def _next_position(schema, actant) -> int:
    last = ActantEntry.objects.filter(schema=schema, actant=actant).aggregate(last=Max("position"))["last"]
    return 0 if last is None else last + 1


def _refuse_if_abandoned(project) -> None:
    if project.stage == Stage.ABANDONED:
        raise MethodError(_("Ce projet est abandonné : reprenez-le pour modifier son schéma actantiel."))


def _lock(schema) -> ActantialSchema:
    """The schema's row, locked until the end of the transaction; an abandoned project's schemas are frozen,
    as its actor map is."""
    schema = ActantialSchema.objects.select_for_update().select_related("project").get(pk=schema.pk)
    _refuse_if_abandoned(schema.project)
    return schema


def entry_add(
    *, actor, schema: ActantialSchema, actant: str, project_actor: Actor | None = None, label="", note=""
) -> ActantEntry:
    """Add an entry to an actant: an actor of the schema's project, or a free label."""
    label, note = _clean_entry(schema, actant, project_actor, label, note)
    with transaction.atomic():
        _lock(schema)
        _check_not_twice(schema, actant, project_actor, label)
        entry = ActantEntry.objects.create(
            schema=schema,
            actant=actant,
            actor=project_actor,
            label=label,
            note=note,
            position=_next_position(schema, actant),
        )
        audit(
            actor=actor,
            action="methods.actantial.entry_add",
            target=schema,
            entry=entry.pk,
            actant=actant,
            name=entry.display_name,
        )
    return entry


def entry_update(
    *, actor, entry: ActantEntry, actant: str, project_actor: Actor | None = None, label="", note=""
) -> ActantEntry:
    """Change an entry; moved to another actant, it goes to the end of that actant's list."""
    schema = entry.schema
    label, note = _clean_entry(schema, actant, project_actor, label, note)
    with transaction.atomic():
        _lock(schema)
        entry = ActantEntry.objects.get(pk=entry.pk)
        _check_not_twice(schema, actant, project_actor, label, exclude=entry)
        if actant != entry.actant:
            entry.position = _next_position(schema, actant)
        entry.actant = actant
        entry.actor = project_actor
        entry.label = label
        entry.note = note
        entry.save()
        audit(
            actor=actor,
            action="methods.actantial.entry_update",
            target=schema,
            entry=entry.pk,
            actant=actant,
            name=entry.display_name,
        )
    return entry


def entry_delete(*, actor, entry: ActantEntry) -> None:
    schema = entry.schema
    with transaction.atomic():
        _lock(schema)
        pk, name, actant = entry.pk, entry.display_name, entry.actant
        entry.delete()
        audit(
            actor=actor,
            action="methods.actantial.entry_delete",
            target=schema,
            entry=pk,
            actant=actant,
            name=name,
        )


def entry_move(*, actor, entry: ActantEntry, direction: str) -> ActantEntry:
    """Swap an entry with its neighbour ("up" or "down") within its actant; at either end, nothing moves."""
    if direction not in ("up", "down"):
        raise MethodError(_("Choisissez de monter ou de descendre l'entrée."))
    schema = entry.schema
    with transaction.atomic():
        _lock(schema)
        siblings = list(
            ActantEntry.objects.filter(schema=schema, actant=entry.actant).order_by("position", "pk")
        )
        index = next(i for i, sibling in enumerate(siblings) if sibling.pk == entry.pk)
        other = index - 1 if direction == "up" else index + 1
        if not 0 <= other < len(siblings):
            return siblings[index]
        siblings[index], siblings[other] = siblings[other], siblings[index]
        for position, sibling in enumerate(siblings):
            if sibling.position != position:
                sibling.position = position
                sibling.save(update_fields=["position"])
        audit(
            actor=actor,
            action="methods.actantial.entry_move",
            target=schema,
            entry=entry.pk,
            direction=direction,
        )
        return siblings[other]
