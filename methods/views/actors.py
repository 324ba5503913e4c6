"""The actor map page: the diagram with its legend, the same content as tables, and for editors the forms that
change the map.

Every edit answers an htmx request with the page's map region (diagram, tables and forms) swapped in place,
and a plain request with a redirect to the page, so that every form also works without JavaScript. A refused
form comes back with its errors and what was typed, in the region (htmx) or in the whole page."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.decorators import login_required
from projects.models import Stage

from .. import selectors
from ..access import can_edit_tools, get_project_for_editing_tools, get_project_for_tools
from ..actor_map import actor_map_svg as draw_map
from ..forms.actors import ActionForm, ActorForm, ImportForm, InfluenceForm, SelectForm
from ..models import Action, Actor, Influence
from ..services import actors as services
from ..services.errors import MethodError

PREFIXES = {"actor": "acteur", "influence": "influence", "action": "action", "import": "import"}


def _next_order(actions) -> int:
    return max((a.order for a in actions), default=-1) + 1


def _context(project, rights, *, forms=None, editing=None, status="", error=""):
    forms = dict(forms or {})
    editing = dict(editing or {})
    actors = list(project.actors.all())
    influences = list(project.influences.select_related("source", "target"))
    actions = list(project.actions.prefetch_related("carriers", "leads_to"))
    writable = can_edit_tools(rights) and project.stage != Stage.ABANDONED
    stakeholders = []
    if writable:
        actor_qs, action_qs = project.actors.all(), project.actions.all()
        stakeholders = list(services.stakeholders_to_import(project))
        forms.setdefault("actor", ActorForm(prefix=PREFIXES["actor"]))
        if len(actors) >= 2:
            forms.setdefault("influence", InfluenceForm(actors=actor_qs, prefix=PREFIXES["influence"]))
        if actors:
            forms.setdefault(
                "action",
                ActionForm(
                    actors=actor_qs,
                    actions=action_qs,
                    prefix=PREFIXES["action"],
                    initial={"order": _next_order(actions)},
                ),
            )
        if stakeholders:
            forms.setdefault(
                "import",
                ImportForm(stakeholders=services.stakeholders_to_import(project), prefix=PREFIXES["import"]),
            )
    return {
        "project": project,
        "rights": rights,
        "writable": writable,
        "actors": actors,
        "influences": influences,
        "actions": actions,
        "svg": draw_map(project, actors=actors, influences=influences, actions=actions),
        "stakeholders": stakeholders,
        "forms": forms,
        "editing": editing,
        "status": status,
        "error": error,
    }


def _show(request, project, rights, **kwargs):
    context = _context(project, rights, **kwargs)
    template = "methods/actors/_region.html" if request.htmx else "methods/actors/map.html"
    return render(request, template, context)


def _map_url(project, anchor="") -> str:
    url = reverse("methods:actor_map", args=[project.pk])
    return f"{url}#{anchor}" if anchor else url


def _done(request, project, rights, message, anchor):
    if request.htmx:
        return _show(request, project, rights, status=message)
    messages.success(request, message)
    return redirect(_map_url(project, anchor))


def _refused(request, project, rights, message, anchor):
    if request.htmx:
        return _show(request, project, rights, error=message)
    messages.error(request, message)
    return redirect(_map_url(project, anchor))


def _submit(request, project, rights, *, slot, form, save, message, anchor, editing=None):
    """Clean the form, run the service; a refusal comes back on the form with what was typed."""
    if form.is_valid():
        try:
            saved = save(form.cleaned_data)
        except MethodError as refused:
            form.add_error(None, refused.message)
        else:
            return _done(request, project, rights, message % {"item": saved}, anchor)
    return _show(request, project, rights, forms={slot: form}, editing={slot: editing} if editing else None)


# --- The page and the SVG file -------------------------------------------------------------------------


@login_required
def actor_map(request, pk):
    project, rights = get_project_for_tools(request.user, pk)
    return _show(request, project, rights)


@login_required
def actor_map_svg(request, pk):
    project, _rights = get_project_for_tools(request.user, pk)
    svg = draw_map(project, id_prefix="actor-map")
    if not svg:
        raise Http404
    response = HttpResponse(
        '<?xml version="1.0" encoding="UTF-8"?>\n' + svg, content_type="image/svg+xml; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="carte-des-acteurs-{project.pk}.svg"'
    return response


# --- Actors --------------------------------------------------------------------------------------------


def _actor(project, actor_pk) -> Actor:
    return get_object_or_404(Actor, pk=actor_pk, project=project)


@login_required
@require_POST
def actor_add(request, pk):
    project, rights = get_project_for_editing_tools(request.user, pk)
    return _submit(
        request,
        project,
        rights,
        slot="actor",
        form=ActorForm(request.POST, prefix=PREFIXES["actor"]),
        save=lambda data: services.actor_add(actor=request.user, project=project, **data),
        message=_("« %(item)s » est ajouté à la carte."),
        anchor="acteurs",
    )


@login_required
def actor_edit(request, pk, actor_pk):
    project, rights = get_project_for_editing_tools(request.user, pk)
    target = _actor(project, actor_pk)
    if request.method != "POST":
        form = ActorForm.for_actor(target, prefix=PREFIXES["actor"])
        return _show(request, project, rights, forms={"actor": form}, editing={"actor": target})
    return _submit(
        request,
        project,
        rights,
        slot="actor",
        form=ActorForm(request.POST, prefix=PREFIXES["actor"]),
        save=lambda data: services.actor_update(actor=request.user, target=target, **data),
        message=_("« %(item)s » est enregistré."),
        anchor="acteurs",
        editing=target,
    )


@login_required
@require_POST
def actor_select(request, pk, actor_pk):
    project, rights = get_project_for_editing_tools(request.user, pk)
    target = _actor(project, actor_pk)
    form = SelectForm(request.POST)
    selected = form.cleaned_data["is_selected"] if form.is_valid() else not target.is_selected
    try:
        services.actor_select(actor=request.user, target=target, is_selected=selected)
    except MethodError as refused:
        return _refused(request, project, rights, refused.message, "acteurs")
    message = (
        _("« %(item)s » est retenu pour le projet.")
        if selected
        else _("« %(item)s » n'est plus retenu pour le projet.")
    )
    return _done(request, project, rights, message % {"item": target}, "acteurs")


@login_required
@require_POST
def actor_delete(request, pk, actor_pk):
    project, rights = get_project_for_editing_tools(request.user, pk)
    target = _actor(project, actor_pk)
    name = target.name
    try:
        services.actor_delete(actor=request.user, target=target)
    except MethodError as refused:
        return _refused(request, project, rights, refused.message, "acteurs")
    return _done(
        request, project, rights, _("« %(item)s » est retiré de la carte.") % {"item": name}, "acteurs"
    )


@login_required
@require_POST
def actor_import(request, pk):
    project, rights = get_project_for_editing_tools(request.user, pk)
    form = ImportForm(
        request.POST, stakeholders=services.stakeholders_to_import(project), prefix=PREFIXES["import"]
    )
    if form.is_valid():
        try:
            imported = services.actors_import_stakeholders(
                actor=request.user, project=project, stakeholders=form.cleaned_data["stakeholders"]
            )
        except MethodError as refused:
            form.add_error(None, refused.message)
        else:
            message = _("%(count)s partie(s) prenante(s) reprise(s) de la note de cadrage.") % {
                "count": len(imported)
            }
            return _done(request, project, rights, message, "acteurs")
    return _show(request, project, rights, forms={"import": form})


# --- Influences ----------------------------------------------------------------------------------------


def _influence(project, influence_pk) -> Influence:
    return get_object_or_404(selectors.influences_of(project), pk=influence_pk)


@login_required
@require_POST
def influence_add(request, pk):
    project, rights = get_project_for_editing_tools(request.user, pk)
    return _submit(
        request,
        project,
        rights,
        slot="influence",
        form=InfluenceForm(request.POST, actors=project.actors.all(), prefix=PREFIXES["influence"]),
        save=lambda data: services.influence_add(actor=request.user, project=project, **data),
        message=_("L'influence « %(item)s » est ajoutée."),
        anchor="influences",
    )


@login_required
def influence_edit(request, pk, influence_pk):
    project, rights = get_project_for_editing_tools(request.user, pk)
    influence = _influence(project, influence_pk)
    actors = project.actors.all()
    if request.method != "POST":
        form = InfluenceForm.for_influence(influence, actors=actors, prefix=PREFIXES["influence"])
        return _show(request, project, rights, forms={"influence": form}, editing={"influence": influence})
    return _submit(
        request,
        project,
        rights,
        slot="influence",
        form=InfluenceForm(request.POST, actors=actors, prefix=PREFIXES["influence"]),
        save=lambda data: services.influence_update(actor=request.user, influence=influence, **data),
        message=_("L'influence « %(item)s » est enregistrée."),
        anchor="influences",
        editing=influence,
    )


@login_required
@require_POST
def influence_delete(request, pk, influence_pk):
    project, rights = get_project_for_editing_tools(request.user, pk)
    influence = _influence(project, influence_pk)
    label = str(influence)
    try:
        services.influence_delete(actor=request.user, influence=influence)
    except MethodError as refused:
        return _refused(request, project, rights, refused.message, "influences")
    message = _("L'influence « %(item)s » est supprimée.") % {"item": label}
    return _done(request, project, rights, message, "influences")


# --- The chain of actions ------------------------------------------------------------------------------


def _action(project, action_pk) -> Action:
    return get_object_or_404(Action, pk=action_pk, project=project)


@login_required
@require_POST
def action_add(request, pk):
    project, rights = get_project_for_editing_tools(request.user, pk)
    form = ActionForm(
        request.POST, actors=project.actors.all(), actions=project.actions.all(), prefix=PREFIXES["action"]
    )
    return _submit(
        request,
        project,
        rights,
        slot="action",
        form=form,
        save=lambda data: services.action_add(actor=request.user, project=project, **data),
        message=_("L'action « %(item)s » est ajoutée à la chaîne."),
        anchor="actions",
    )


@login_required
def action_edit(request, pk, action_pk):
    project, rights = get_project_for_editing_tools(request.user, pk)
    action = _action(project, action_pk)
    actors, actions = project.actors.all(), project.actions.exclude(pk=action.pk)
    if request.method != "POST":
        form = ActionForm.for_action(
            action, actors=actors, actions=project.actions.all(), prefix=PREFIXES["action"]
        )
        return _show(request, project, rights, forms={"action": form}, editing={"action": action})
    return _submit(
        request,
        project,
        rights,
        slot="action",
        form=ActionForm(request.POST, actors=actors, actions=actions, prefix=PREFIXES["action"]),
        save=lambda data: services.action_update(actor=request.user, action=action, **data),
        message=_("L'action « %(item)s » est enregistrée."),
        anchor="actions",
        editing=action,
    )


@login_required
@require_POST
def action_delete(request, pk, action_pk):
    project, rights = get_project_for_editing_tools(request.user, pk)
    action = _action(project, action_pk)
    label = str(action)
    try:
        services.action_delete(actor=request.user, action=action)
    except MethodError as refused:
        return _refused(request, project, rights, refused.message, "actions")
    message = _("L'action « %(item)s » est retirée de la chaîne.") % {"item": label}
    return _done(request, project, rights, message, "actions")
