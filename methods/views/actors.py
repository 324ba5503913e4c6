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
from core.editing import posted, submit
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
    """Clean the form, run the view's service; a refusal comes back on the form with what was typed. A GET
    shows the form (an edit's, filled from `editing`)."""
    saved, item = submit(request, form, save)
    if saved:
        return _done(request, project, rights, message % {"item": item}, anchor)
    return _show(request, project, rights, forms={slot: form}, editing={slot: editing} if editing else None)


def _change(request, project, rights, *, change, message, anchor):
    """Run the view's service `change()` (no form: a switch, a removal); its refusal is said in place."""
    try:
        change()
    except MethodError as refused:
        return _refused(request, project, rights, refused.message, anchor)
    return _done(request, project, rights, message, anchor)


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
    return get_object_or_404(selectors.actors_of(project), pk=actor_pk)


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
    return _submit(
        request,
        project,
        rights,
        slot="actor",
        form=ActorForm.for_actor(target, posted(request), prefix=PREFIXES["actor"]),
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
    message = (
        _("« %(item)s » est retenu pour le projet.")
        if selected
        else _("« %(item)s » n'est plus retenu pour le projet.")
    )
    return _change(
        request,
        project,
        rights,
        change=lambda: services.actor_select(actor=request.user, target=target, is_selected=selected),
        message=message % {"item": target},
        anchor="acteurs",
    )


@login_required
@require_POST
def actor_delete(request, pk, actor_pk):
    project, rights = get_project_for_editing_tools(request.user, pk)
    target = _actor(project, actor_pk)
    return _change(
        request,
        project,
        rights,
        change=lambda: services.actor_delete(actor=request.user, target=target),
        message=_("« %(item)s » est retiré de la carte.") % {"item": target.name},
        anchor="acteurs",
    )


@login_required
@require_POST
def actor_import(request, pk):
    project, rights = get_project_for_editing_tools(request.user, pk)
    form = ImportForm(
        request.POST, stakeholders=services.stakeholders_to_import(project), prefix=PREFIXES["import"]
    )
    saved, imported = submit(
        request,
        form,
        lambda data: services.actors_import_stakeholders(
            actor=request.user, project=project, stakeholders=data["stakeholders"]
        ),
    )
    if saved:
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
    return _submit(
        request,
        project,
        rights,
        slot="influence",
        form=InfluenceForm.for_influence(
            influence, posted(request), actors=project.actors.all(), prefix=PREFIXES["influence"]
        ),
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
    return _change(
        request,
        project,
        rights,
        change=lambda: services.influence_delete(actor=request.user, influence=influence),
        message=_("L'influence « %(item)s » est supprimée.") % {"item": influence},
        anchor="influences",
    )


# --- The chain of actions ------------------------------------------------------------------------------


def _action(project, action_pk) -> Action:
    return get_object_or_404(selectors.actions_of(project), pk=action_pk)


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
    form = ActionForm.for_action(
        action,
        posted(request),
        actors=project.actors.all(),
        actions=project.actions.all(),
        prefix=PREFIXES["action"],
    )
    return _submit(
        request,
        project,
        rights,
        slot="action",
        form=form,
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
    return _change(
        request,
        project,
        rights,
        change=lambda: services.action_delete(actor=request.user, action=action),
        message=_("L'action « %(item)s » est retirée de la chaîne.") % {"item": action},
        anchor="actions",
    )
