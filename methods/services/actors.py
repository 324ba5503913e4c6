"""Selection of actors and the actor map: a project's actors, the influences between them and the chain of
actions they carry.

Every link stays inside one project (an influence between two actors of the project, an action carried by the
project's actors and leading to the project's actions) and the chain of actions never loops back on itself:
the services check both and refuse with a French message shown on the form. Each change is audited; the
project's row is locked for the duration of a change so that two editors cannot break a rule together.
"""

from graphlib import CycleError, TopologicalSorter

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.audit import audit
from projects.models import DeliverableKind, Project, Stage, Stakeholder

from ..models import Action, Actor, ActorFamily, ActorKind, Influence, InfluenceSign, InfluenceStrength
from .errors import MethodError

AUDIT_LABELS = {
    "methods.actor.add": gettext_lazy("Acteur ajouté à la carte"),
    "methods.actor.change": gettext_lazy("Acteur modifié"),
    "methods.actor.select": gettext_lazy("Sélection des acteurs modifiée"),
    "methods.actor.delete": gettext_lazy("Acteur retiré de la carte"),
    "methods.actor.import": gettext_lazy("Acteurs repris de la note de cadrage"),
    "methods.influence.add": gettext_lazy("Influence ajoutée"),
    "methods.influence.change": gettext_lazy("Influence modifiée"),
    "methods.influence.delete": gettext_lazy("Influence supprimée"),
    "methods.action.add": gettext_lazy("Action ajoutée à la chaîne"),
    "methods.action.change": gettext_lazy("Action modifiée"),
    "methods.action.delete": gettext_lazy("Action retirée de la chaîne"),
}
NOTIFICATION_KINDS = {}

NAME_MAX = Actor._meta.get_field("name").max_length


def _lock(project: Project) -> Project:
    """The project's row, locked until the end of the transaction; its map cannot change once abandoned."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    if project.stage == Stage.ABANDONED:
        raise MethodError(_("Ce projet est abandonné : reprenez-le pour modifier sa carte des acteurs."))
    return project


def _clean_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise MethodError(_("Donnez un nom à l'acteur."))
    return name


# --- Actors --------------------------------------------------------------------------------------------


def _check_fields(*, kind, family):
    if kind not in ActorKind.values:
        raise MethodError(_("Choisissez la nature de l'acteur : personne, organisation ou collectif."))
    if family not in ActorFamily.values:
        raise MethodError(_("Choisissez la famille de l'acteur."))


def _check_unique_name(project, name, *, exclude=None):
    others = Actor.objects.filter(project=project, name__iexact=name)
    if exclude is not None:
        others = others.exclude(pk=exclude.pk)
    if others.exists():
        raise MethodError(_("Un acteur s'appelle déjà « %(name)s » dans ce projet.") % {"name": name})


def actor_add(
    *, actor, project: Project, name: str, family: str, kind=ActorKind.PERSON, role="", is_selected=True
) -> Actor:
    name = _clean_name(name)
    _check_fields(kind=kind, family=family)
    with transaction.atomic():
        project = _lock(project)
        _check_unique_name(project, name)
        last = Actor.objects.filter(project=project).order_by("-position").values_list("position", flat=True)
        added = Actor.objects.create(
            project=project,
            name=name,
            kind=kind,
            family=family,
            role=(role or "").strip(),
            is_selected=is_selected,
            position=(last.first() or 0) + 1,
        )
        audit(actor=actor, action="methods.actor.add", target=added, project=project.pk)
    return added


def actor_update(
    *, actor, target: Actor, name: str, family: str, kind: str, role: str, is_selected: bool
) -> Actor:
    name = _clean_name(name)
    _check_fields(kind=kind, family=family)
    with transaction.atomic():
        project = _lock(target.project)
        _check_unique_name(project, name, exclude=target)
        target.name, target.family, target.kind = name, family, kind
        target.role, target.is_selected = (role or "").strip(), is_selected
        target.save()
        audit(actor=actor, action="methods.actor.change", target=target, project=project.pk)
    return target


def actor_select(*, actor, target: Actor, is_selected: bool) -> Actor:
    """The "sélection des acteurs": whether the actor is retained for the project."""
    with transaction.atomic():
        _lock(target.project)
        target.is_selected = is_selected
        target.save(update_fields=["is_selected", "updated_at"])
        audit(actor=actor, action="methods.actor.select", target=target, is_selected=is_selected)
    return target


def actor_delete(*, actor, target: Actor) -> None:
    """Its influences go with it; an action it carries alone would be left without a carrier: refused."""
    with transaction.atomic():
        project = _lock(target.project)
        orphans = [
            action
            for action in Action.objects.filter(project=project, carriers=target).prefetch_related("carriers")
            if len(action.carriers.all()) == 1
        ]
        if orphans:
            raise MethodError(
                _(
                    "« %(name)s » porte seul l'action « %(action)s » : donnez-lui un autre porteur avant de "
                    "retirer cet acteur."
                )
                % {"name": target.name, "action": orphans[0]}
            )
        audit(actor=actor, action="methods.actor.delete", target=target, project=project.pk)
        target.delete()


def stakeholders_to_import(project: Project):
    """The note de cadrage's stakeholders that are not yet actors of the map."""
    return (
        Stakeholder.objects.filter(deliverable__project=project, deliverable__kind=DeliverableKind.CADRAGE)
        .exclude(actors__project=project)
        .order_by("position", "pk")
    )


def _name_of(stakeholder: Stakeholder) -> str:
    name = " ".join(str(stakeholder).split())
    return name if len(name) <= NAME_MAX else name[: NAME_MAX - 1].rstrip() + "…"


def actors_import_stakeholders(*, actor, project: Project, stakeholders=None) -> list[Actor]:
    """Take the note de cadrage's stakeholders as actors (all those not yet taken, or the chosen ones): name
    and organisation, family carried over. An actor already typed under the same name is linked, not
    doubled. Returns the actors added or linked."""
    with transaction.atomic():
        project = _lock(project)
        available = {s.pk: s for s in stakeholders_to_import(project)}
        chosen = list(available.values())
        if stakeholders is not None:
            chosen = [available[s.pk] for s in stakeholders if s.pk in available]
            if not chosen:
                raise MethodError(
                    _("Choisissez au moins une partie prenante qui n'est pas encore sur la carte.")
                )
        by_name = {a.name.lower(): a for a in Actor.objects.filter(project=project, stakeholder__isnull=True)}
        taken = {
            name.lower() for name in Actor.objects.filter(project=project).values_list("name", flat=True)
        }
        position = max(Actor.objects.filter(project=project).values_list("position", flat=True), default=0)
        imported = []
        for stakeholder in chosen:
            name = _name_of(stakeholder)
            existing = by_name.pop(name.lower(), None)
            if existing is not None:
                existing.stakeholder = stakeholder
                existing.save(update_fields=["stakeholder", "updated_at"])
                imported.append(existing)
                continue
            # Two stakeholders of the same name (and organisation): the second one is numbered.
            base, number = name[: NAME_MAX - 5], 1
            while name.lower() in taken:
                number += 1
                name = f"{base} ({number})"
            position += 1
            imported.append(
                Actor.objects.create(
                    project=project,
                    name=name,
                    kind=ActorKind.ORGANISATION if stakeholder.organisation else ActorKind.PERSON,
                    family=stakeholder.family,
                    role=_("Partie prenante %(involvement)s")
                    % {"involvement": stakeholder.get_involvement_display().lower()},
                    stakeholder=stakeholder,
                    position=position,
                )
            )
            taken.add(name.lower())
        if imported:
            audit(
                actor=actor,
                action="methods.actor.import",
                target=project,
                actors=[a.pk for a in imported],
            )
    return imported


# --- Influences ----------------------------------------------------------------------------------------


def _check_influence(project, *, source, target, strength, sign, exclude=None):
    for end in (source, target):
        if end is None or end.project_id != project.pk:
            name = end.name if end is not None else "?"
            raise MethodError(
                _(
                    "« %(name)s » n'est pas un acteur de ce projet : une influence relie deux acteurs de "
                    "la carte."
                )
                % {"name": name}
            )
    if source.pk == target.pk:
        raise MethodError(
            _("Un acteur ne peut pas avoir d'influence sur lui-même : choisissez deux acteurs différents.")
        )
    if strength not in InfluenceStrength.values:
        raise MethodError(_("Choisissez l'intensité de l'influence : faible, moyenne ou forte."))
    if sign not in InfluenceSign.values:
        raise MethodError(_("Choisissez le sens de l'influence : positive ou négative."))
    same = Influence.objects.filter(source=source, target=target)
    if exclude is not None:
        same = same.exclude(pk=exclude.pk)
    if same.exists():
        raise MethodError(
            _("L'influence de « %(source)s » sur « %(target)s » est déjà sur la carte : modifiez-la plutôt.")
            % {"source": source.name, "target": target.name}
        )


def influence_add(
    *,
    actor,
    project: Project,
    source: Actor,
    target: Actor,
    strength=InfluenceStrength.MEDIUM,
    sign=InfluenceSign.POSITIVE,
    comment="",
) -> Influence:
    with transaction.atomic():
        project = _lock(project)
        _check_influence(project, source=source, target=target, strength=strength, sign=sign)
        influence = Influence.objects.create(
            project=project,
            source=source,
            target=target,
            strength=strength,
            sign=sign,
            comment=(comment or "").strip(),
        )
        audit(actor=actor, action="methods.influence.add", target=influence, project=project.pk)
    return influence


def influence_update(
    *, actor, influence: Influence, source: Actor, target: Actor, strength: str, sign: str, comment: str
) -> Influence:
    with transaction.atomic():
        project = _lock(influence.project)
        _check_influence(
            project, source=source, target=target, strength=strength, sign=sign, exclude=influence
        )
        influence.source, influence.target = source, target
        influence.strength, influence.sign, influence.comment = strength, sign, (comment or "").strip()
        influence.save()
        audit(actor=actor, action="methods.influence.change", target=influence, project=project.pk)
    return influence


def influence_delete(*, actor, influence: Influence) -> None:
    with transaction.atomic():
        project = _lock(influence.project)
        audit(actor=actor, action="methods.influence.delete", target=influence, project=project.pk)
        influence.delete()


# --- The chain of actions ------------------------------------------------------------------------------


def _check_action(project, *, order, title, carriers, leads_to, exclude=None):
    if not (title or "").strip():
        raise MethodError(_("Donnez un intitulé à l'action."))
    if order is None or order < 0:
        raise MethodError(_("L'ordre d'une action est un nombre entier à partir de 0."))
    if not carriers:
        raise MethodError(_("Choisissez au moins un acteur qui porte l'action."))
    for carrier in carriers:
        if carrier.project_id != project.pk:
            raise MethodError(
                _(
                    "« %(name)s » n'est pas un acteur de ce projet : une action est portée par les "
                    "acteurs de la carte."
                )
                % {"name": carrier.name}
            )
    for following in leads_to:
        if following.project_id != project.pk:
            raise MethodError(
                _("L'action « %(action)s » n'est pas de ce projet : la chaîne relie les actions de la carte.")
                % {"action": following}
            )
    taken = Action.objects.filter(project=project, order=order)
    if exclude is not None:
        taken = taken.exclude(pk=exclude.pk)
    if (holder := taken.first()) is not None:
        raise MethodError(
            _("L'ordre %(order)s est déjà celui de l'action « %(action)s » : choisissez-en un autre.")
            % {"order": order, "action": holder.title}
        )


def _check_acyclic(project, *, action, order, leads_to):
    """The chain with this action's links replaced by `leads_to` (a new action has the key None) must have
    no loop; the message names one loop by the actions' orders."""
    orders = dict(Action.objects.filter(project=project).values_list("pk", "order"))
    orders[action.pk] = order
    predecessors = {pk: [] for pk in sorted(orders, key=lambda pk: (orders[pk], pk or 0))}
    links = Action.leads_to.through.objects.filter(from_action__project=project)
    for source, target in sorted(links.values_list("from_action_id", "to_action_id")):
        if source != action.pk:
            predecessors[target].append(source)
    for following in sorted(leads_to, key=lambda a: (a.order, a.pk)):
        predecessors[following.pk].append(action.pk)
    try:
        TopologicalSorter(predecessors).prepare()
    except CycleError as cycle:
        # Told from its earliest action, so the same loop always reads the same way.
        steps = [orders[pk] for pk in cycle.args[1][:-1]]
        start = steps.index(min(steps))
        steps = steps[start:] + steps[:start]
        loop = " → ".join(str(order) for order in [*steps, steps[0]])
        raise MethodError(_("Cette suite d'actions ferait une boucle : %(loop)s.") % {"loop": loop}) from None


def _save_action(actor, action, *, project, order, title, description, carriers, leads_to):
    created = action.pk is None
    _check_action(project, order=order, title=title, carriers=carriers, leads_to=leads_to, exclude=action)
    _check_acyclic(project, action=action, order=order, leads_to=leads_to)
    action.project, action.order = project, order
    action.title, action.description = " ".join(title.split()), (description or "").strip()
    action.save()
    action.carriers.set(carriers)
    action.leads_to.set(leads_to)
    audit(
        actor=actor,
        action="methods.action.add" if created else "methods.action.change",
        target=action,
        project=project.pk,
    )
    return action


def action_add(
    *, actor, project: Project, order: int, title: str, carriers, leads_to=(), description=""
) -> Action:
    with transaction.atomic():
        project = _lock(project)
        return _save_action(
            actor,
            Action(project=project),
            project=project,
            order=order,
            title=title,
            description=description,
            carriers=list(carriers),
            leads_to=list(leads_to),
        )


def action_update(
    *, actor, action: Action, order: int, title: str, carriers, leads_to=(), description=""
) -> Action:
    with transaction.atomic():
        project = _lock(action.project)
        return _save_action(
            actor,
            action,
            project=project,
            order=order,
            title=title,
            description=description,
            carriers=list(carriers),
            leads_to=list(leads_to),
        )


def action_delete(*, actor, action: Action) -> None:
    with transaction.atomic():
        project = _lock(action.project)
        audit(actor=actor, action="methods.action.delete", target=action, project=project.pk)
        action.delete()
