"""Raconter la coopération: the récits of a territory's or a project's cooperation journal (DOMAIN.md §5).

A récit is written by the scope's team (`Scope.can_write_journal`); its author or the territory's managers
change or delete it. It answers one of the five prompts, is dated (never in the future) and names who took
part: people of the scope, and others typed as free text. Kept to the team, or shared with the
accompaniment: sharing it tells the scope's facilitators.
"""

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from core.audit import audit
from notifications.services import notify

from .. import access
from ..access import Scope
from ..models import JournalEntry, JournalPrompt, JournalVisibility
from .errors import MethodError

AUDIT_LABELS = {
    "methods.journal.create": gettext_lazy("Récit de coopération écrit"),
    "methods.journal.update": gettext_lazy("Récit de coopération modifié"),
    "methods.journal.delete": gettext_lazy("Récit de coopération supprimé"),
}
NOTIFICATION_KINDS = {
    "methods.journal_shared": gettext_lazy("Un récit de coopération est partagé avec moi"),
}

# The prompts' short names, for the tags of the timeline; the full texts are JournalPrompt's labels.
PROMPT_SHORT_NAMES = {
    JournalPrompt.REFLEXIVE_SPACES: gettext_lazy("Espaces réflexifs"),
    JournalPrompt.PEER_GROUPS: gettext_lazy("Groupes de pairs"),
    JournalPrompt.LIVED_EXPERIENCE: gettext_lazy("Vécu de chacun·e"),
    JournalPrompt.DISPUTES: gettext_lazy("Différends au travail"),
    JournalPrompt.EFFECTS: gettext_lazy("Effets de la coopération"),
}
# Questions that help a team start writing, shown above the form.
PROMPT_HINTS = {
    JournalPrompt.REFLEXIVE_SPACES: gettext_lazy(
        "Où et quand avez-vous pris le temps de réfléchir ou de délibérer ensemble ? Qui était là, qu'est-ce "
        "que ce temps a permis de dire ou de décider ?"
    ),
    JournalPrompt.PEER_GROUPS: gettext_lazy(
        "Quel groupe de pairs s'est réuni (agents, DGS, élu·es…) ? A-t-il « pris » ? Qu'a-t-il produit, et "
        "qu'a donné le croisement avec les autres groupes ?"
    ),
    JournalPrompt.LIVED_EXPERIENCE: gettext_lazy(
        "Quel vécu, quel rapport à l'histoire du territoire ou au travail s'est exprimé ? Comment a-t-il été "
        "accueilli ?"
    ),
    JournalPrompt.DISPUTES: gettext_lazy(
        "Quel désaccord est apparu ? Comment l'avez-vous mis au travail plutôt que de l'éviter, et où en "
        "est-il ?"
    ),
    JournalPrompt.EFFECTS: gettext_lazy(
        "Qu'est-ce que la coopération a changé, ou pourrait changer ? Les effets positifs comme négatifs, "
        "pour qui ?"
    ),
}


def prompt_guide() -> list[dict]:
    """The five prompts in the method's order: key, short name, full text and hint."""
    return [
        {
            "key": prompt.value,
            "short": PROMPT_SHORT_NAMES[prompt],
            "text": prompt.label,
            "hint": PROMPT_HINTS[prompt],
        }
        for prompt in JournalPrompt
    ]


# --- Who is who in a scope -----------------------------------------------------------------------------


def scope_people(scope: Scope):
    """The people who may be named as participants: the territory's team, the project's lead and members,
    and the scope's facilitators (the territory's, and the project's assigned ones)."""
    people = Q(territory_roles__territory=scope.territory) | Q(facilitated_territories=scope.territory)
    if scope.project is not None:
        people |= (
            Q(led_projects=scope.project) | Q(projects=scope.project) | Q(facilitated_projects=scope.project)
        )
    return User.objects.filter(pk__in=User.objects.filter(people).values("pk"), is_active=True).order_by(
        "full_name", "email"
    )


def scope_facilitators(scope: Scope) -> list:
    people = Q(facilitated_territories=scope.territory)
    if scope.project is not None:
        people |= Q(facilitated_projects=scope.project)
    return list(User.objects.filter(pk__in=User.objects.filter(people).values("pk"), is_active=True))


def belongs_to(entry: JournalEntry, scope: Scope) -> bool:
    """The entry is of exactly this scope (a project's récit is not its territory's own)."""
    if scope.project is not None:
        return entry.project_id == scope.project.pk
    return entry.territory_id == scope.territory.pk and entry.project_id is None


# --- Checks --------------------------------------------------------------------------------------------


def _check(*, scope, prompt, happened_on, title, body, participants, visibility, entry=None) -> list:
    if prompt not in JournalPrompt.values:
        raise MethodError(_("Choisissez la question à laquelle ce récit répond."))
    if visibility not in JournalVisibility.values:
        raise MethodError(_("Choisissez qui peut lire ce récit : l'équipe, ou aussi l'accompagnement."))
    if happened_on is None:
        raise MethodError(_("Indiquez la date de ce qui est raconté."), field="happened_on")
    if happened_on > timezone.localdate():
        raise MethodError(
            _("La date d'un récit ne peut pas être dans le futur : racontez ce qui a déjà eu lieu."),
            field="happened_on",
        )
    if not (title or "").strip():
        raise MethodError(_("Donnez un titre au récit."))
    if not (body or "").strip():
        raise MethodError(_("Écrivez le récit."))
    participants = list(participants)
    allowed = set(scope_people(scope).values_list("pk", flat=True))
    if entry is not None:
        # Someone named before who has since left the team (or deleted their account) stays named.
        allowed |= set(entry.participants.values_list("pk", flat=True))
    strangers = [person for person in participants if person.pk not in allowed]
    if strangers:
        names = ", ".join(sorted(person.get_full_name() for person in strangers))
        raise MethodError(
            _(
                "%(names)s ne fait pas partie de l'équipe ou de l'accompagnement : nommez-le·la parmi les "
                "autres participant·es."
            )
            % {"names": names}
        )
    return participants


def _notify_shared(*, actor, scope, entry):
    if scope.project is not None:
        url = reverse("methods:journal_project", args=[scope.project.pk])
        where = scope.project.title
    else:
        url = reverse("methods:journal_territory", args=[scope.territory.pk])
        where = scope.territory.name
    notify(
        kind="methods.journal_shared",
        recipients=scope_facilitators(scope),
        actor=actor,
        message="methods.journal_shared",
        params={"name": actor.get_full_name(), "where": where, "title": entry.title},
        url=f"{url}#recit-{entry.pk}",
        excerpt=entry.body[:300],
    )


# --- Workflows -----------------------------------------------------------------------------------------


def entry_create(
    *,
    actor,
    scope: Scope,
    prompt,
    happened_on,
    title,
    body,
    participants=(),
    other_participants="",
    visibility=JournalVisibility.TEAM,
) -> JournalEntry:
    if not scope.can_write_journal:
        raise MethodError(_("Seule l'équipe écrit les récits de coopération."))
    participants = _check(
        scope=scope,
        prompt=prompt,
        happened_on=happened_on,
        title=title,
        body=body,
        participants=participants,
        visibility=visibility,
    )
    with transaction.atomic():
        entry = JournalEntry.objects.create(
            territory=scope.territory,
            project=scope.project,
            happened_on=happened_on,
            prompt=prompt,
            title=title.strip(),
            body=body,
            other_participants=other_participants.strip(),
            visibility=visibility,
            author=actor,
        )
        entry.participants.set(participants)
        audit(
            actor=actor,
            action="methods.journal.create",
            target=entry,
            prompt=prompt,
            visibility=visibility,
            project=scope.project.pk if scope.project else None,
        )
        if visibility == JournalVisibility.SHARED:
            _notify_shared(actor=actor, scope=scope, entry=entry)
    return entry


def entry_update(
    *,
    actor,
    scope: Scope,
    entry: JournalEntry,
    prompt,
    happened_on,
    title,
    body,
    participants=(),
    other_participants="",
    visibility=JournalVisibility.TEAM,
) -> JournalEntry:
    if not belongs_to(entry, scope):
        raise MethodError(_("Ce récit n'appartient pas à ce journal."))
    if not access.can_change_entry(scope, actor, entry):
        raise MethodError(_("Seul·es l'auteur·ice du récit et les responsables du territoire le modifient."))
    participants = _check(
        scope=scope,
        prompt=prompt,
        happened_on=happened_on,
        title=title,
        body=body,
        participants=participants,
        visibility=visibility,
        entry=entry,
    )
    with transaction.atomic():
        was_shared = entry.visibility == JournalVisibility.SHARED
        entry.prompt, entry.happened_on, entry.title, entry.body = prompt, happened_on, title.strip(), body
        entry.other_participants, entry.visibility = other_participants.strip(), visibility
        entry.save()
        entry.participants.set(participants)
        audit(
            actor=actor, action="methods.journal.update", target=entry, prompt=prompt, visibility=visibility
        )
        if visibility == JournalVisibility.SHARED and not was_shared:
            _notify_shared(actor=actor, scope=scope, entry=entry)
    return entry


def entry_delete(*, actor, scope: Scope, entry: JournalEntry) -> None:
    if not belongs_to(entry, scope):
        raise MethodError(_("Ce récit n'appartient pas à ce journal."))
    if not access.can_change_entry(scope, actor, entry):
        raise MethodError(_("Seul·es l'auteur·ice du récit et les responsables du territoire le suppriment."))
    with transaction.atomic():
        audit(
            actor=actor,
            action="methods.journal.delete",
            target=entry,
            title=entry.title,
            happened_on=entry.happened_on.isoformat(),
        )
        entry.delete()


# --- Personal data -------------------------------------------------------------------------------------


def _where(project_title, territory_name):
    return project_title or territory_name


def privacy_export(user):
    written = (
        JournalEntry.objects.filter(author=user)
        .order_by("happened_on", "pk")
        .values_list(
            "title", "happened_on", "prompt", "body", "visibility", "project__title", "territory__name"
        )
    )
    taken_part = (
        JournalEntry.objects.filter(participants=user)
        .order_by("happened_on", "pk")
        .values_list("title", "happened_on", "prompt", "project__title", "territory__name")
    )
    return {
        "journal_entries_written": [
            {
                "journal": _where(project, territory),
                "title": title,
                "date": happened_on,
                "prompt": prompt,
                "body": body,
                "visibility": visibility,
            }
            for title, happened_on, prompt, body, visibility, project, territory in written
        ],
        "journal_entries_taken_part_in": [
            {"journal": _where(project, territory), "title": title, "date": happened_on, "prompt": prompt}
            for title, happened_on, prompt, project, territory in taken_part
        ],
    }


def privacy_erase(user):
    """Nothing to remove. The récits the person wrote are the team's collective work: they stay, attributed
    to "Compte supprimé" once the account is anonymised; being named among a récit's participants is part of
    what the team told, and reads "Compte supprimé" likewise. Free text naming them was typed by the team
    about a shared moment, and cannot be told apart from other names: it is left as written."""
