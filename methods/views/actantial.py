"""The actantial schema: the project's schemas, one schema's diagram with its text alternative, and for
the editors the forms that change it.

Every change answers an htmx request with the schema's region (tabs, diagram, lists, forms), swapped in
place, and a plain request with a redirect, or with the whole page and the form's errors (422)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from core.decorators import login_required
from core.errors import DomainError
from projects.models import Stage

from .. import selectors
from ..access import can_edit_tools, get_project_for_editing_tools, get_project_for_tools
from ..actantial_diagram import actantial_svg
from ..forms.actantial import EntryForm, QuestForm
from ..models import Actant, ActantEntry, ActantialSchema
from ..services import actantial as services
from ..services.actantial import ACTANT_ORDER, ACTANT_TITLES, ADD_LABELS, DEFINITIONS, QUEST_DEFINITION

REGION = "methods/actantial/_region.html"
PAGE = "methods/actantial/page.html"


def _schema_url(schema) -> str:
    return reverse("methods:actantial_schema", args=[schema.project_id, schema.pk])


def _schema_of(project, schema_pk) -> ActantialSchema:
    schema = get_object_or_404(selectors.actantial_schemas_of(project), pk=schema_pk)
    schema.project = project
    return schema


def _entry_of(schema, entry_pk) -> ActantEntry:
    entry = get_object_or_404(selectors.actant_entries_of(schema), pk=entry_pk)
    entry.schema = schema
    return entry


def _add_form(project, actors, actant, data=None) -> EntryForm:
    return EntryForm(
        data,
        project=project,
        actors=actors,
        fixed_actant=actant,
        initial={"actant": actant},
        auto_id=f"id_add_{actant}_%s",
    )


def _edit_form(project, actors, entry, data=None) -> EntryForm:
    initial = {"actant": entry.actant, "actor": entry.actor_id, "label": entry.label, "note": entry.note}
    return EntryForm(data, project=project, actors=actors, initial=initial, auto_id=f"id_entry_{entry.pk}_%s")


def _context(
    project,
    rights,
    schema,
    *,
    add_form=None,
    editing=None,
    quest_form=None,
    new_schema_form=None,
    status_message="",
    error="",
) -> dict:
    """Everything the region shows. `add_form` is a bound form for its actant, `editing` an (entry, form)
    pair shown in place of the entry's actant's add form."""
    editable = can_edit_tools(rights) and project.stage != Stage.ABANDONED
    schemas = list(selectors.actantial_schemas_of(project))
    main = schemas[0] if schemas else None
    entries = list(schema.entries.select_related("actor").order_by("position", "pk")) if schema.pk else []
    actors = list(selectors.actors_of(project)) if editable else []
    sections = []
    for actant in ACTANT_ORDER:
        section = {
            "actant": actant,
            "title": ACTANT_TITLES[actant],
            "definition": DEFINITIONS[actant],
            "add_label": ADD_LABELS[actant],
            "entries": [entry for entry in entries if entry.actant == actant],
        }
        if editable:
            if add_form is not None and add_form.fixed_actant == actant:
                section["form"] = add_form
            else:
                section["form"] = _add_form(project, actors, actant)
            if editing is not None and editing[0].actant == actant:
                section["editing"] = {"entry": editing[0], "form": editing[1]}
        sections.append(section)
    is_main = main is not None and schema.pk == main.pk
    return {
        "project": project,
        "rights": rights,
        "editable": editable and schema.pk is not None,
        "schema": schema,
        "schemas": schemas,
        "main": main,
        "is_main": is_main,
        "sections": sections,
        "entry_count": len(entries),
        "quest_definition": QUEST_DEFINITION,
        "svg": actantial_svg(schema, id_prefix=f"actantial-{schema.pk or 0}", entries=entries),
        "quest_form": quest_form or QuestForm(initial={"quest": schema.quest}, require_quest=not is_main),
        "new_schema_form": new_schema_form or QuestForm(require_quest=True, auto_id="id_new_schema_%s"),
        "has_actors": bool(actors),
        "status_message": status_message,
        "error": error,
    }


def _show(request, project, rights, schema, *, status=200, **kwargs):
    context = _context(project, rights, schema, **kwargs)
    return render(request, REGION if request.htmx else PAGE, context, status=status)


def _done(request, project, rights, schema, message):
    if request.htmx:
        return _show(request, project, rights, schema, status=200, status_message=message)
    messages.success(request, message)
    return redirect(_schema_url(schema))


def _refused(request, project, rights, schema, **kwargs):
    """A form with its errors: in place for htmx (200, so that htmx swaps it), else the page with 422."""
    return _show(request, project, rights, schema, status=200 if request.htmx else 422, **kwargs)


# --- Pages ---------------------------------------------------------------------------------------------


@login_required
def actantial_page(request, pk):
    """The project's schema, created the first time an editor comes; a reader sees the empty structure."""
    project, rights = get_project_for_tools(request.user, pk)
    schema = services.main_schema(project)
    if schema is None and can_edit_tools(rights) and project.stage != Stage.ABANDONED:
        schema = services.schema_ensure(actor=request.user, project=project)
    if schema is None:
        schema = ActantialSchema(project=project)
    schema.project = project
    return render(request, PAGE, _context(project, rights, schema))


@login_required
def actantial_schema(request, pk, schema_pk):
    project, rights = get_project_for_tools(request.user, pk)
    schema = _schema_of(project, schema_pk)
    return render(request, REGION if request.htmx else PAGE, _context(project, rights, schema))


@login_required
def actantial_svg_download(request, pk, schema_pk):
    project, _rights = get_project_for_tools(request.user, pk)
    schema = _schema_of(project, schema_pk)
    svg = actantial_svg(schema, id_prefix="actantial")
    response = HttpResponse(
        f'<?xml version="1.0" encoding="UTF-8"?>\n{svg}\n', content_type="image/svg+xml; charset=utf-8"
    )
    name = slugify(f"{project.title} {schema}")[:80] or "schema"
    response["Content-Disposition"] = f'attachment; filename="schema-actantiel-{name}.svg"'
    return response


# --- Schemas -------------------------------------------------------------------------------------------


@login_required
@require_POST
def actantial_schema_add(request, pk):
    """A schema for one more quest; the form is on every schema's page, the main one shows the errors."""
    project, rights = get_project_for_editing_tools(request.user, pk)
    form = QuestForm(request.POST, require_quest=True, auto_id="id_new_schema_%s")
    main = services.schema_ensure(actor=request.user, project=project)
    if main is None:
        # An abandoned project that never had a schema: its page offers no form to get here.
        raise PermissionDenied
    main.project = project
    if form.is_valid():
        try:
            schema = services.schema_create(
                actor=request.user, project=project, quest=form.cleaned_data["quest"]
            )
        except DomainError as refused:
            form.add_error("quest", refused.message)
        else:
            messages.success(
                request, _("Le schéma de la quête « %(quest)s » est créé.") % {"quest": schema.quest}
            )
            url = _schema_url(schema)
            return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
    return _refused(request, project, rights, main, new_schema_form=form)


@login_required
@require_POST
def actantial_schema_edit(request, pk, schema_pk):
    project, rights = get_project_for_editing_tools(request.user, pk)
    schema = _schema_of(project, schema_pk)
    is_main = schema.pk == services.main_schema(project).pk
    form = QuestForm(request.POST, require_quest=not is_main)
    if form.is_valid():
        try:
            schema = services.schema_update(
                actor=request.user, schema=schema, quest=form.cleaned_data["quest"]
            )
        except DomainError as refused:
            form.add_error("quest", refused.message)
        else:
            schema.project = project
            return _done(request, project, rights, schema, _("La quête est enregistrée."))
    return _refused(request, project, rights, schema, quest_form=form)


@login_required
@require_POST
def actantial_schema_delete(request, pk, schema_pk):
    project, rights = get_project_for_editing_tools(request.user, pk)
    schema = _schema_of(project, schema_pk)
    name = str(schema)
    try:
        services.schema_delete(actor=request.user, schema=schema)
    except DomainError as refused:
        if request.htmx:
            return _show(request, project, rights, schema, error=refused.message)
        messages.error(request, refused.message)
        return redirect(_schema_url(schema))
    messages.success(request, _("Le schéma « %(schema)s » est supprimé.") % {"schema": name})
    url = reverse("methods:actantial", args=[project.pk])
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


# --- Entries -------------------------------------------------------------------------------------------


def _entry_values(form) -> dict:
    return {
        "actant": form.cleaned_data["actant"],
        "project_actor": form.cleaned_data.get("actor"),
        "label": form.cleaned_data["label"],
        "note": form.cleaned_data["note"],
    }


@login_required
@require_POST
def actantial_entry_add(request, pk, schema_pk):
    project, rights = get_project_for_editing_tools(request.user, pk)
    schema = _schema_of(project, schema_pk)
    actant = request.POST.get("actant")
    if actant not in Actant.values:
        return _refused(request, project, rights, schema, error=_("Choisissez l'un des six actants."))
    form = _add_form(project, list(selectors.actors_of(project)), actant, data=request.POST)
    if form.is_valid():
        try:
            entry = services.entry_add(actor=request.user, schema=schema, **_entry_values(form))
        except DomainError as refused:
            form.add_error(None, refused.message)
        else:
            message = _("« %(name)s » est ajouté·e au schéma (%(actant)s).") % {
                "name": entry.display_name,
                "actant": Actant(actant).label.lower(),
            }
            return _done(request, project, rights, schema, message)
    return _refused(request, project, rights, schema, add_form=form)


@login_required
def actantial_entry_edit(request, pk, schema_pk, entry_pk):
    project, rights = get_project_for_editing_tools(request.user, pk)
    schema = _schema_of(project, schema_pk)
    entry = _entry_of(schema, entry_pk)
    actors = list(selectors.actors_of(project))
    context = {"project": project, "schema": schema, "entry": entry}
    if request.method == "POST":
        form = _edit_form(project, actors, entry, data=request.POST)
        if form.is_valid():
            try:
                entry = services.entry_update(actor=request.user, entry=entry, **_entry_values(form))
            except DomainError as refused:
                form.add_error(None, refused.message)
            else:
                message = _("« %(name)s » est enregistré·e.") % {"name": entry.display_name}
                return _done(request, project, rights, schema, message)
        if request.htmx:
            return _show(request, project, rights, schema, editing=(entry, form))
        return render(request, "methods/actantial/entry_form.html", {**context, "form": form}, status=422)
    form = _edit_form(project, actors, entry)
    template = "methods/actantial/_entry_form.html" if request.htmx else "methods/actantial/entry_form.html"
    return render(request, template, {**context, "form": form})


@login_required
@require_POST
def actantial_entry_delete(request, pk, schema_pk, entry_pk):
    project, rights = get_project_for_editing_tools(request.user, pk)
    schema = _schema_of(project, schema_pk)
    entry = _entry_of(schema, entry_pk)
    name = entry.display_name
    services.entry_delete(actor=request.user, entry=entry)
    return _done(request, project, rights, schema, _("« %(name)s » est retiré·e du schéma.") % {"name": name})


@login_required
@require_POST
def actantial_entry_move(request, pk, schema_pk, entry_pk):
    project, rights = get_project_for_editing_tools(request.user, pk)
    schema = _schema_of(project, schema_pk)
    entry = _entry_of(schema, entry_pk)
    try:
        services.entry_move(actor=request.user, entry=entry, direction=request.POST.get("direction", ""))
    except DomainError as refused:
        return _refused(request, project, rights, schema, error=refused.message)
    return _done(
        request, project, rights, schema, _("« %(name)s » est déplacé·e.") % {"name": entry.display_name}
    )
