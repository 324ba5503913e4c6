"""Reading and comparing the immutable snapshots of a deliverable (DeliverableVersion.content).

Answers are compared word by word: the texts are HTML-escaped first and only then wrapped in <ins>/<del>, so
whatever an answer contains is shown as text, never interpreted. The structured parts (stakeholders,
objectives, means…) are compared as rows, matched by the id they had when the snapshot was taken.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils import formats
from django.utils.translation import gettext_lazy as _

from accounts.models import ActorFamily
from core import dates
from core.textdiff import diff_words  # noqa: F401 - the views and templates of projects import it from here

from .models import (
    Involvement,
    MeansKind,
    MeansOrigin,
    ObjectiveKind,
    ResponsibilityLevel,
    StructuredPart,
)

# Structured parts ---------------------------------------------------------------------------------------


def _text(value, _content=None):
    return "" if value is None else str(value)


def _choice(choices):
    labels = dict(choices.choices)

    def show(value, _content=None):
        return str(labels.get(value, value or ""))

    return show


def _number(value, _content=None):
    if value in (None, ""):
        return ""
    try:
        return formats.localize(Decimal(str(value)))
    except InvalidOperation:
        return str(value)


def _date(value, _content=None):
    if not value:
        return ""
    try:
        return dates.long_date(datetime.date.fromisoformat(value))
    except (TypeError, ValueError):
        return str(value)


def _objective_titles(ids, content):
    titles = {o.get("id"): o.get("title", "") for o in content["parts"].get("objectives", [])}
    return ", ".join(titles.get(pk, "?") for pk in ids or [])


def _step_title(pk, content):
    titles = {s.get("id"): s.get("title", "") for s in content["parts"].get("steps", [])}
    return titles.get(pk, "")


@dataclass(frozen=True)
class PartSpec:
    """How one structured part reads in a snapshot: where its rows are and which columns they show."""

    source: str
    columns: tuple  # (key, label, show(value, content) -> str)
    origin: str | None = None
    totals: tuple = ()  # keys of the numeric columns summed under the table

    def rows(self, content) -> list[dict]:
        rows = (content or {}).get("parts", {}).get(self.source, []) or []
        if self.origin is not None:
            rows = [row for row in rows if row.get("origin") == self.origin]
        return rows

    @staticmethod
    def key(row):
        return row["id"] if "id" in row else (row.get("step"), row.get("stakeholder"))


_MEANS_COLUMNS = (
    ("kind", _("Nature"), _choice(MeansKind)),
    ("description", _("Description"), _text),
    ("fte", _("ETP"), _number),
    ("amount", _("Montant (€)"), _number),
    ("funder", _("Financeur ou fournisseur"), _text),
)

PARTS = {
    StructuredPart.STAKEHOLDERS: PartSpec(
        "stakeholders",
        (
            ("name", _("Nom"), _text),
            ("organisation", _("Organisation"), _text),
            ("involvement", _("Partie prenante"), _choice(Involvement)),
            ("family", _("Famille des 4 Fantastiques"), _choice(ActorFamily)),
        ),
    ),
    StructuredPart.OBJECTIVES: PartSpec(
        "objectives",
        (
            ("title", _("Objectif"), _text),
            ("kind", _("Type"), _choice(ObjectiveKind)),
            ("description", _("Précisions"), _text),
            ("indicator", _("Indicateur"), _text),
            ("baseline", _("Valeur de départ"), _number),
            ("target", _("Cible"), _number),
            ("unit", _("Unité"), _text),
            ("due_date", _("Échéance"), _date),
        ),
    ),
    StructuredPart.SUCCESS_CRITERIA: PartSpec(
        "success_criteria",
        (("text", _("Critère"), _text), ("objectives", _("Objectifs mesurés"), _objective_titles)),
    ),
    StructuredPart.INTERNAL_MEANS: PartSpec(
        "means", _MEANS_COLUMNS, origin=MeansOrigin.INTERNAL, totals=("fte", "amount")
    ),
    StructuredPart.EXTERNAL_MEANS: PartSpec(
        "means", _MEANS_COLUMNS, origin=MeansOrigin.EXTERNAL, totals=("fte", "amount")
    ),
    StructuredPart.STEPS: PartSpec(
        "steps",
        (
            ("title", _("Étape"), _text),
            ("start", _("Début"), _date),
            ("end", _("Fin"), _date),
            ("outputs", _("Livrables de l'étape"), _text),
        ),
    ),
    StructuredPart.ROLES: PartSpec(
        "responsibilities",
        (
            ("step", _("Étape"), _step_title),
            ("stakeholder_name", _("Partie prenante"), _text),
            ("level", _("Rôle"), _choice(ResponsibilityLevel)),
        ),
    ),
}


def _total(rows, key):
    total = Decimal(0)
    for row in rows:
        try:
            total += Decimal(str(row.get(key) or 0))
        except InvalidOperation:
            continue
    return total


@dataclass
class PartTable:
    label: str
    columns: list
    rows: list  # each: {"status": "" | "added" | "removed" | "changed", "cells": [str | SafeString]}
    totals: list = field(default_factory=list)  # one cell per column, "" where nothing is summed


def _totals(spec, rows) -> list:
    if not spec.totals or not rows:
        return []
    return [_number(_total(rows, key)) if key in spec.totals else "" for key, _label, _show in spec.columns]


def part_table(part: str, content) -> PartTable | None:
    spec = PARTS.get(part)
    if spec is None:
        return None
    rows = spec.rows(content)
    return PartTable(
        label=StructuredPart(part).label,
        columns=[label for _key, label, _show in spec.columns],
        rows=[
            {"status": "", "cells": [show(row.get(key), content) for key, _label, show in spec.columns]}
            for row in rows
        ],
        totals=_totals(spec, rows),
    )


def compare_part(part: str, old_content, new_content) -> PartTable | None:
    """The rows of the new snapshot, each marked added or changed (with a word diff of its changed cells),
    followed by the rows the old one had and the new one lost."""
    spec = PARTS.get(part)
    if spec is None:
        return None
    old_rows = {spec.key(row): row for row in spec.rows(old_content)}
    new_rows = spec.rows(new_content)
    rows = []
    for row in new_rows:
        before = old_rows.pop(spec.key(row), None)
        cells, changed = [], False
        for key, _label, show in spec.columns:
            after_text = show(row.get(key), new_content)
            if before is None:
                cells.append(after_text)
                continue
            before_text = show(before.get(key), old_content)
            if before_text != after_text:
                changed = True
                cells.append(diff_words(before_text, after_text))
            else:
                cells.append(after_text)
        status = "added" if before is None else ("changed" if changed else "")
        rows.append({"status": status, "cells": cells})
    for row in old_rows.values():
        rows.append(
            {
                "status": "removed",
                "cells": [show(row.get(key), old_content) for key, _l, show in spec.columns],
            }
        )
    return PartTable(
        label=StructuredPart(part).label,
        columns=[label for _key, label, _show in spec.columns],
        rows=rows,
        totals=_totals(spec, new_rows),
    )


# Questions ----------------------------------------------------------------------------------------------


def snapshot_questions(content) -> list[dict]:
    """A snapshot's questions, each with its answer and its structured part as a table."""
    return [
        {
            "number": q.get("number"),
            "text": q.get("text", ""),
            "answer": q.get("answer", ""),
            "part": part_table(q.get("structured_part") or "", content),
        }
        for q in (content or {}).get("questions", [])
    ]


def compare_snapshots(old_content, new_content) -> list[dict]:
    """Question by question (matched by number), what changed from the old snapshot to the new one."""
    old_questions = {q.get("number"): q for q in (old_content or {}).get("questions", [])}
    result = []
    for question in (new_content or {}).get("questions", []):
        before = old_questions.pop(question.get("number"), {})
        old_answer, new_answer = before.get("answer", ""), question.get("answer", "")
        part_key = question.get("structured_part") or ""
        part = compare_part(part_key, old_content, new_content)
        part_changed = part is not None and any(row["status"] for row in part.rows)
        result.append(
            {
                "number": question.get("number"),
                "text": question.get("text", ""),
                "answer_changed": old_answer != new_answer,
                "changed": old_answer != new_answer or part_changed,
                "diff": diff_words(old_answer, new_answer),
                "part": part,
            }
        )
    for number, question in sorted(old_questions.items(), key=lambda item: item[0] or 0):
        result.append(
            {
                "number": number,
                "text": question.get("text", ""),
                "answer_changed": True,
                "changed": True,
                "diff": diff_words(question.get("answer", ""), ""),
                "part": None,
            }
        )
    return result
