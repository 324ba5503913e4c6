"""The HTML of each PDF, and its rendering with WeasyPrint.

The HTML is built in the web request (cheap, and hashed so identical content is rendered once); the worker
only turns it into PDF. Nothing is fetched at render time: the stylesheet is read from the project's static
folder, diagrams are inline SVG, fonts come from the system (fontconfig), and the URL fetcher refuses every
URL but `data:` ones.
"""

import datetime
import hashlib
import io
import time
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.models import ActorFamily
from core.text import render_markdown
from methods.actantial_diagram import actantial_svg
from methods.actor_map import actor_map_svg
from methods.models import Actant, ActantialSchema, Action, Actor, EvaluationSession, EvaluationStatus
from methods.radar import radar_svg
from projects.charts import steps_svg
from projects.models import (
    DeliverableKind,
    DeliverableStatus,
    Involvement,
    MeansKind,
    MeansOrigin,
    ObjectiveKind,
    ResponsibilityLevel,
)
from projects.services import snapshot_content

STYLESHEET = Path(settings.BASE_DIR) / "static" / "css" / "pdf.css"


@dataclass(frozen=True)
class Rendered:
    data: bytes
    # Known for a PDF; an office document is paginated by the suite that opens it.
    page_count: int | None
    render_ms: int


def content_hash(html: str, variant: str) -> str:
    return hashlib.sha256(f"{variant}\n{html}".encode()).hexdigest()


def _decimal(value):
    return None if value in (None, "") else Decimal(value)


def _label(choices, value):
    try:
        return choices(value).label
    except ValueError:
        return value


def note_context(kind: str, content: dict, purpose: str = "") -> dict:
    """Turn a deliverable's snapshot (projects.services.snapshot_content) into what the PDF template shows:
    answers rendered, structured parts as labelled rows, totals computed."""
    parts = content.get("parts", {})
    objectives = parts.get("objectives", [])
    objective_titles = {o["id"]: o["title"] for o in objectives}
    stakeholders = parts.get("stakeholders", [])
    steps = parts.get("steps", [])
    means = parts.get("means", [])
    totals = {}
    for origin in MeansOrigin:
        rows = [m for m in means if m["origin"] == origin]
        totals[origin] = {
            "fte": sum((_decimal(m["fte"]) or Decimal(0) for m in rows), Decimal(0)),
            "amount": sum((_decimal(m["amount"]) or Decimal(0) for m in rows), Decimal(0)),
        }
    cells = {(r["stakeholder"], r["step"]): r["level"] for r in parts.get("responsibilities", [])}
    matrix_people = list(stakeholders) or [
        {"id": r["stakeholder"], "name": r["stakeholder_name"]} for r in parts.get("responsibilities", [])
    ]
    seen = set()
    matrix_people = [p for p in matrix_people if not (p["id"] in seen or seen.add(p["id"]))]
    structured = {
        "stakeholders": [
            {
                **s,
                "involvement_label": _label(Involvement, s["involvement"]),
                "family_label": _label(ActorFamily, s["family"]),
            }
            for s in stakeholders
        ],
        "objectives": [
            {
                **o,
                "kind_label": _label(ObjectiveKind, o["kind"]),
                "baseline": _decimal(o["baseline"]),
                "target": _decimal(o["target"]),
            }
            for o in objectives
        ],
        "success_criteria": [
            {**c, "objective_titles": [objective_titles[i] for i in c["objectives"] if i in objective_titles]}
            for c in parts.get("success_criteria", [])
        ],
        "internal_means": [_means_row(m) for m in means if m["origin"] == MeansOrigin.INTERNAL],
        "external_means": [_means_row(m) for m in means if m["origin"] == MeansOrigin.EXTERNAL],
        "means_totals": totals,
        "steps": steps,
        "roles": _roles(steps, matrix_people, cells),
    }
    questions = [{**q, "answer_html": render_markdown(q["answer"])} for q in content.get("questions", [])]
    return {
        "kind": kind,
        "kind_label": DeliverableKind(kind).label,
        "purpose": purpose,
        "number": DeliverableKind(kind).number,
        "questions": questions,
        "structured": structured,
        "gantt_svg": _gantt(steps),
    }


def _roles(steps, people, cells) -> dict:
    """The roles as one row per step and one column per level, each cell naming its people in the order of
    the stakeholders. A matrix with one column per person overflows an A4 page beyond a dozen people (and
    costs a table cell per person and step to lay out); this keeps every pairing in four columns. A level
    stored around the forms gets a column of its own, headed by its raw value."""
    levels = [level.value for level in ResponsibilityLevel]
    levels += sorted({level for level in cells.values() if level not in levels})
    rows = []
    for step in steps:
        by_level = {level: [] for level in levels}
        for person in people:
            level = cells.get((person["id"], step["id"]))
            if level is not None:
                by_level[level].append(person["name"])
        rows.append({"step": step, "cells": [by_level[level] for level in levels]})
    return {"levels": [_label(ResponsibilityLevel, level) for level in levels], "rows": rows}


def _means_row(means: dict) -> dict:
    return {
        **means,
        "kind_label": _label(MeansKind, means["kind"]),
        "fte": _decimal(means["fte"]),
        "amount": _decimal(means["amount"]),
    }


def _gantt(steps) -> str:
    """The same chart as on screen, drawn from the snapshot's rows with the few nodes of print."""
    rows = [
        SimpleNamespace(
            pk=step["id"],
            title=step["title"],
            start=datetime.date.fromisoformat(step["start"]),
            end=datetime.date.fromisoformat(step["end"]),
        )
        for step in steps
    ]
    return steps_svg(rows, title=str(_("Calendrier des étapes")), id_prefix="pdf-steps", for_print=True)


def _project_context(project) -> dict:
    return {
        "project": project,
        "territory": project.territory,
        "themes": [t.name for t in project.themes.all()],
        "stage_label": project.get_stage_display(),
    }


def note_html(*, deliverable, content: dict, version=None, is_draft: bool) -> str:
    """A single note: a version as submitted, or the current draft with a watermark."""
    project = deliverable.project
    with translation.override(settings.LANGUAGE_CODE):
        return render_to_string(
            "documents/pdf/note.html",
            {
                **_project_context(project),
                "note": note_context(
                    deliverable.kind, content, content.get("purpose") or deliverable.question_set.purpose
                ),
                "version": version,
                "revision": version.revision if version else deliverable.revision,
                "is_draft": is_draft,
                # The draft's own last change, not the rendering time, so an unchanged draft hashes the same.
                "dated": version.submitted_at if version else deliverable.updated_at,
                "status_label": deliverable.get_status_display(),
                "title": _note_title(deliverable, version, is_draft),
            },
        )


def _note_title(deliverable, version, is_draft) -> str:
    project = deliverable.project
    suffix = f" — version {version.number}" if version else (" — brouillon" if is_draft else "")
    return f"{deliverable.get_kind_display()} — {project.title}{suffix}"


def dossier_html(*, project, notes: list) -> str:
    """The whole project: cover, table of contents and the three notes, each from its latest submitted
    version, or its draft (marked so) when it was never submitted; then the method's tools the team drew."""
    with translation.override(settings.LANGUAGE_CODE):
        return render_to_string(
            "documents/pdf/dossier.html",
            {
                **_project_context(project),
                "notes": notes,
                "tools": dossier_tools(project),
                "dated": max((n["dated"] for n in notes), default=project.updated_at),
                "title": f"Dossier du projet — {project.title}",
                "has_draft": any(n["is_draft"] for n in notes),
            },
        )


def dossier_notes(project) -> list:
    notes = []
    for deliverable in sorted(project.deliverables.all(), key=lambda d: DeliverableKind(d.kind).number):
        version = deliverable.versions.order_by("-number").first()
        validated_or_submitted = version is not None and deliverable.status != DeliverableStatus.DRAFT
        content = version.content if validated_or_submitted else snapshot_content(deliverable)
        notes.append(
            {
                "note": note_context(
                    deliverable.kind, content, content.get("purpose") or deliverable.question_set.purpose
                ),
                "status_label": deliverable.get_status_display(),
                "version": version if validated_or_submitted else None,
                "is_draft": not validated_or_submitted,
                "dated": version.submitted_at if validated_or_submitted else deliverable.updated_at,
                "anchor": f"note-{deliverable.kind}",
            }
        )
    return notes


def dossier_tools(project) -> dict:
    """The actor map, the actantial schemas and the latest deliberated evaluation of the value created, drawn
    by the same functions as the web pages, with their content as text beside them (the diagrams' text
    alternative in the PDF as on screen)."""
    actors = list(Actor.objects.filter(project=project).order_by("position", "pk"))
    actions = list(
        Action.objects.filter(project=project).prefetch_related("carriers").order_by("order", "pk")
    )
    schemas = [
        schema
        for schema in ActantialSchema.objects.filter(project=project)
        .prefetch_related("entries__actor")
        .order_by("pk")
        if schema.entries.all()
    ]
    # The latest deliberated evaluation: a session still open is the group's work in progress.
    evaluation = (
        EvaluationSession.objects.filter(project=project, status=EvaluationStatus.CLOSED)
        .prefetch_related("agreements__dimension")
        .order_by("-held_on", "-pk")
        .first()
    )
    return {
        "evaluation": evaluation,
        "radar": radar_svg(evaluation, id_prefix="pdf-radar") if evaluation else "",
        "actor_map": actor_map_svg(project, id_prefix="pdf-actor-map") if actors else "",
        "actors": actors,
        "actions": actions,
        "schemas": [
            {
                "schema": schema,
                "svg": actantial_svg(schema, id_prefix=f"pdf-actantial-{schema.pk}"),
                "actants": [
                    (actant.label, [e for e in schema.entries.all() if e.actant == actant])
                    for actant in Actant
                ],
            }
            for schema in schemas
        ],
    }


def _stylesheet():
    from weasyprint import CSS

    return CSS(string=STYLESHEET.read_text(encoding="utf-8"))


def render_pdf(html: str, *, variant: str, identifier: str) -> Rendered:
    """HTML → PDF bytes, tagged for accessibility, with nothing fetched from outside."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    started = time.monotonic()
    document = HTML(string=html, url_fetcher=URLFetcher(allowed_protocols={"data"})).render(
        stylesheets=[_stylesheet()]
    )
    output = io.BytesIO()
    document.write_pdf(
        output,
        pdf_variant=variant,
        pdf_identifier=identifier.encode(),
        pdf_tags=True,
        custom_metadata=True,
    )
    return Rendered(
        data=output.getvalue(),
        page_count=len(document.pages),
        render_ms=int((time.monotonic() - started) * 1000),
    )
