"""Raconter la coopération: the timeline of a project's or a territory's récits, and writing, changing and
deleting a récit (full pages: POST, then a redirect to the timeline)."""

from itertools import groupby

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from core.decorators import login_required
from core.editing import posted

from .. import access, selectors
from ..access import Scope, get_scope_for_user
from ..forms.journal import JournalEntryForm, JournalFilterForm
from ..services import journal as services
from ..services.errors import MethodError

# --- Access to one récit -------------------------------------------------------------------------------


def _timeline_url(scope: Scope) -> str:
    if scope.project is not None:
        return reverse("methods:journal_project", args=[scope.project.pk])
    return reverse("methods:journal_territory", args=[scope.territory.pk])


def _create_url(scope: Scope) -> str:
    if scope.project is not None:
        return reverse("methods:journal_entry_create_project", args=[scope.project.pk])
    return reverse("methods:journal_entry_create_territory", args=[scope.territory.pk])


# --- The timeline --------------------------------------------------------------------------------------


def _by_year_and_month(entries):
    """[(year, [(first day of the month, [entries])])], newest first as the entries come."""
    return [
        (
            year,
            [
                (month, list(of_month))
                for month, of_month in groupby(in_year, key=lambda entry: entry.happened_on.replace(day=1))
            ],
        )
        for year, in_year in groupby(entries, key=lambda entry: entry.happened_on.year)
    ]


def _timeline(request, scope: Scope):
    form = JournalFilterForm(
        request.GET or None, with_visibility=scope.can_read_team_entries, auto_id="filter_%s"
    )
    entries = selectors.timeline_entries(scope, form.filters)
    for entry in entries:
        entry.prompt_short = services.PROMPT_SHORT_NAMES[entry.prompt]
    changeable = {entry.pk for entry in entries if access.can_change_entry(scope, request.user, entry)}
    context = {
        "scope": scope,
        "territory": scope.territory,
        "rights": scope.territory_rights,
        "form": form,
        "is_filtered": bool(form.filters),
        "years": _by_year_and_month(entries),
        "count": len(entries),
        "changeable": changeable,
        "create_url": _create_url(scope) if scope.can_write_journal else "",
        "timeline_url": _timeline_url(scope),
    }
    return render(request, "methods/journal/timeline.html", context)


@login_required
def journal_project(request, pk):
    return _timeline(request, get_scope_for_user(request.user, project_pk=pk))


@login_required
def journal_territory(request, territory_pk):
    return _timeline(request, get_scope_for_user(request.user, territory_pk=territory_pk))


# --- Writing, changing and deleting a récit ------------------------------------------------------------


def _save(form, save):
    """Run the service with the cleaned form; a refusal is shown on the form, nothing typed is lost."""
    data = form.cleaned_data
    try:
        return save(
            prompt=data["prompt"],
            happened_on=data["happened_on"],
            title=data["title"],
            body=data["body"],
            participants=list(data["participants"]),
            other_participants=data["other_participants"],
            visibility=data["visibility"],
        )
    except MethodError as error:
        form.add_error(error.field if error.field in form.fields else None, error.message)
        return None


def _form_page(request, scope, form, *, entry=None):
    return render(
        request,
        "methods/journal/form.html",
        {
            "scope": scope,
            "form": form,
            "entry": entry,
            "guide": services.prompt_guide(),
            "timeline_url": _timeline_url(scope),
        },
    )


def _entry_create(request, scope: Scope):
    form = JournalEntryForm(posted(request), scope=scope)
    if request.method == "POST":
        if form.is_valid():
            entry = _save(form, lambda **data: services.entry_create(actor=request.user, scope=scope, **data))
            if entry is not None:
                messages.success(
                    request, _("Le récit « %(title)s » est enregistré.") % {"title": entry.title}
                )
                return redirect(f"{_timeline_url(scope)}#recit-{entry.pk}")
        messages.error(request, _("Le récit n'est pas enregistré : corrigez les champs signalés."))
    return _form_page(request, scope, form)


@login_required
def journal_entry_create_project(request, pk):
    return _entry_create(request, access.get_scope_for_writing_journal(request.user, project_pk=pk))


@login_required
def journal_entry_create_territory(request, territory_pk):
    return _entry_create(
        request, access.get_scope_for_writing_journal(request.user, territory_pk=territory_pk)
    )


@login_required
def journal_entry_edit(request, entry_pk):
    entry, scope = access.get_entry_for_changing(request.user, entry_pk)
    form = JournalEntryForm(posted(request), scope=scope, entry=entry)
    if request.method == "POST":
        if form.is_valid():
            saved = _save(
                form,
                lambda **data: services.entry_update(actor=request.user, scope=scope, entry=entry, **data),
            )
            if saved is not None:
                messages.success(
                    request, _("Le récit « %(title)s » est enregistré.") % {"title": saved.title}
                )
                return redirect(f"{_timeline_url(scope)}#recit-{saved.pk}")
        messages.error(request, _("Le récit n'est pas enregistré : corrigez les champs signalés."))
    return _form_page(request, scope, form, entry=entry)


@login_required
def journal_entry_delete(request, entry_pk):
    entry, scope = access.get_entry_for_changing(request.user, entry_pk)
    if request.method == "POST":
        title = entry.title
        try:
            services.entry_delete(actor=request.user, scope=scope, entry=entry)
        except MethodError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Le récit « %(title)s » est supprimé.") % {"title": title})
            return redirect(_timeline_url(scope))
    return render(
        request,
        "methods/journal/delete.html",
        {"scope": scope, "entry": entry, "timeline_url": _timeline_url(scope)},
    )
