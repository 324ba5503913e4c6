"""The audit journal: one row per workflow step, written by the services.

A step's object is named in the journals in the reader's language. Its name is stored twice: as the French
text of the moment (`target_repr`, what old rows and unregistered objects show) and, for the objects whose
name the platform writes (« Note d'intention — … », « Charte, version 3 », « … (Membre de l'alliance) »), as
the parameters of that name (`target_params`): the kind of deliverable or the status as its code, titles and
numbers as they were. Each app registers how its objects are named (`register_target_name`, in
`AppConfig.ready()`), like the actions' labels (`core.models.ACTION_LABELS`)."""

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.utils import translation

from .models import AuditEntry


@dataclass(frozen=True)
class TargetName:
    """How one model's objects are named: the first template whose parameters are all filled is used."""

    templates: tuple  # lazy translations (or plain strings) with %(name)s placeholders
    params: Callable  # object -> the parameters of its name
    choices: dict = field(default_factory=dict)  # parameter -> the TextChoices its stored code belongs to

    def render(self, params: dict) -> str:
        values = dict(params)
        for name, choices in self.choices.items():
            if values.get(name) in choices.values:  # a code no longer known is shown as stored
                values[name] = choices(values[name]).label
        for template in self.templates:
            names = re.findall(r"%\((\w+)\)s", str(template))
            if all(values.get(name) not in (None, "") for name in names):
                return str(template) % values
        raise ValueError("no template fits these parameters")

    def parse(self, text: str) -> dict | None:
        """The parameters of a name written in French or English (as `str()` wrote it in the actor's
        language), or None: how the rows written before were given theirs."""
        for language in (settings.LANGUAGE_CODE, "en"):
            with translation.override(language):
                # The fixed texts first: « Schéma du projet » is not a quest named so.
                forms = sorted((str(template) for template in self.templates), key=lambda t: t.count("%("))
                labels = {
                    name: {str(label): value for value, label in choices.choices}
                    for name, choices in self.choices.items()
                }
            for form in forms:
                match = re.fullmatch(_pattern(form), text, flags=re.DOTALL)
                params = match.groupdict() if match else None
                coded = labels.keys() & (params or {})
                if params is not None and all(params[name] in labels[name] for name in coded):
                    return {name: labels.get(name, {}).get(value, value) for name, value in params.items()}
        return None


def _pattern(template: str) -> str:
    """A regular expression that reads a template's parameters back from its text."""
    parts = re.split(r"%\((\w+)\)s", template)
    return "".join(
        re.escape(part) if index % 2 == 0 else f"(?P<{part}>.+?)" for index, part in enumerate(parts)
    )


TARGET_NAMES: dict[str, TargetName] = {}


def register_target_name(model, *templates, params: Callable, **choices) -> None:
    """`model`'s objects are named with the first of `templates` whose parameters `params(obj)` fills;
    `choices`: parameter -> the TextChoices its stored code belongs to."""
    TARGET_NAMES[model._meta.label_lower] = TargetName(tuple(templates), params, choices)


def target_name(entry: AuditEntry) -> str:
    """The name of the entry's object in the active language; as stored when it has no parameters."""
    if entry.target_params is None:
        return entry.target_repr
    content_type = ContentType.objects.get_for_id(entry.target_type_id)  # cached: no query
    namer = TARGET_NAMES.get(f"{content_type.app_label}.{content_type.model}")
    try:
        return namer.render(entry.target_params) if namer else entry.target_repr
    except (KeyError, TypeError, ValueError):
        return entry.target_repr


def audit(*, actor, action: str, target, **data) -> AuditEntry:
    """Record one step of a workflow; called by services inside their transaction."""
    namer = TARGET_NAMES.get(target._meta.label_lower)
    with translation.override(settings.LANGUAGE_CODE):
        name = str(target)[:255]  # French, whoever acts: the stored names are all in one language
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        target_type=ContentType.objects.get_for_model(target),
        target_id=str(target.pk),
        target_repr=name,
        target_params=namer.params(target) if namer else None,
        data=data,
    )


def history_of(target):
    return AuditEntry.objects.filter(
        target_type=ContentType.objects.get_for_model(target), target_id=str(target.pk)
    ).select_related("actor")


def audit_entries():
    """The platform's audit log, the newest first."""
    return AuditEntry.objects.select_related("actor", "target_type").order_by("-created_at", "-id")
