"""The project pages: the lists (mine, a territory's, all, the review queue), the project page, and creating,
editing, assigning, abandoning and resuming a project."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.decorators import admin_required, login_required
from core.editing import posted
from core.errors import DomainError
from core.params import parse_id
from territories.access import get_territory_for_private_view

from .. import access, selectors, services
from ..extensions import project_page
from ..models import Stage
from ..project_forms import AbandonForm, FacilitatorsForm, ProjectFilterForm, ProjectForm
from ..queue import review_queue_rows_html
from ..review import private_notes_panel

PAGE_SIZE = 20


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _filter_form(request, *, exclude=(), with_territories=True):
    territories = selectors.filter_territories(request.user) if with_territories else None
    exclude = tuple(exclude) + (() if with_territories else ("territory",))
    # Ids of their own: the site's stylesheet styles some #id_… of other forms.
    return ProjectFilterForm(
        request.GET or None, territories=territories, exclude=exclude, auto_id="filter_%s"
    )


def _list(request, template, projects, *, exclude=(), with_territories=True, **context):
    form = _filter_form(request, exclude=exclude, with_territories=with_territories)
    page = _page(request, selectors.projects_for_list(projects, form.filters))
    return render(request, template, {"form": form, "page": page, **context})


# --- Lists ---------------------------------------------------------------------------------------------


@login_required
def project_mine(request):
    user = request.user
    # Where a project may be started from here: the territories of one's team.
    territories = list(request.user.territory_roles.select_related("territory").order_by("territory__name"))
    return _list(
        request,
        "projects/mine.html",
        selectors.my_projects(user),
        creatable_territories=[member.territory for member in territories],
        can_review=user.is_facilitator or user.is_alliance_admin,
        can_see_all=user.is_alliance_admin,
    )


@admin_required
def project_all(request):
    return _list(request, "projects/all.html", access.projects_visible_to(request.user))


@login_required
def territory_projects(request, territory_pk):
    territory, rights = get_territory_for_private_view(request.user, territory_pk)
    return _list(
        request,
        "projects/territory_list.html",
        territory.projects.all(),
        with_territories=False,
        territory=territory,
        rights=rights,
        can_create=rights.member is not None or rights.is_admin,
    )


@login_required
def review_queue(request):
    user = request.user
    if not access.can_open_review_queue(user):
        raise PermissionDenied
    exclude = ("stage",) if user.is_alliance_admin else ("stage", "facilitator")
    form = _filter_form(request, exclude=exclude)
    page = _page(request, selectors.review_queue_rows(user, form.filters))
    return render(
        request,
        "projects/review_queue.html",
        {
            "form": form,
            "page": page,
            "rows": review_queue_rows_html(page.object_list),
            "can_manage_questions": access.can_manage_question_sets(user),
        },
    )


# --- The project page ----------------------------------------------------------------------------------


@login_required
def project_detail(request, pk):
    project, rights = access.get_project_for_user(request.user, pk)
    deliverables = selectors.project_deliverables(project)
    opened = [d for _kind, _label, d in deliverables if d is not None]
    for deliverable in opened:
        # What the note's link offers the person: to write, review or read it.
        deliverable.way = rights.way_into(deliverable)
    team, facilitators = selectors.project_people(project)
    context = {
        "project": project,
        "rights": rights,
        "deliverables": deliverables,
        "team": team,
        "facilitators": facilitators,
        "themes": list(project.themes.all()),
        "recommendations": list(project.recommendations.order_by("number")),
        "history": selectors.project_history(
            project, opened, with_private_notes=rights.can_read_private_notes
        ),
        "is_abandoned": project.stage == Stage.ABANDONED,
        "can_abandon": rights.can_abandon(project),
        "private_notes": private_notes_panel(project, rights),
        # The method's tools (journal, actors, evaluation), from the methods app.
        **project_page.context(project, rights),
    }
    return render(request, "projects/detail.html", context)


# --- Creating and changing a project -------------------------------------------------------------------


def _save_project(request, form, save):
    """Run the service with the cleaned form; a refusal is shown on the form, nothing typed is lost."""
    data = form.cleaned_data
    try:
        return save(
            title=data["title"],
            summary=data["summary"],
            themes=list(data["themes"]),
            lead=data["lead"],
            members=list(data["members"]),
            recommendations=list(data.get("recommendations") or []),
        )
    except DomainError as error:
        form.add_error(None, error.message)
        return None


@login_required
def project_create(request, territory_pk):
    territory, rights = access.get_territory_for_creating_project(request.user, territory_pk)
    form = ProjectForm(posted(request), territory=territory)
    if request.method == "GET" and rights.member is not None:
        form.initial["lead"] = request.user
    chosen = parse_id(request.GET.get("recommandation"))
    if request.method == "GET" and chosen is not None and "recommendations" in form.fields:
        # Started from a recommendation of the diagnostic (the dashboard's « recommandations sans projet »).
        form.initial["recommendations"] = list(
            form.fields["recommendations"].queryset.filter(pk=chosen).values_list("pk", flat=True)
        )
    if request.method == "POST":
        if form.is_valid():
            project = _save_project(
                request,
                form,
                lambda **data: services.project_create(actor=request.user, territory=territory, **data),
            )
            if project is not None:
                messages.success(
                    request,
                    _("Le projet « %(title)s » est créé : sa note d'intention est ouverte.")
                    % {"title": project.title},
                )
                return redirect(project)
        messages.error(request, _("Le projet n'est pas créé : corrigez les champs signalés."))
    return render(
        request,
        "projects/create.html",
        {"form": form, "territory": territory, "creator_joins": rights.member is not None},
    )


@login_required
def project_edit(request, pk):
    project, rights = access.get_project_for_managing(request.user, pk)
    form = ProjectForm(posted(request), territory=project.territory, project=project)
    if request.method == "POST":
        if form.is_valid():
            saved = _save_project(
                request,
                form,
                lambda **data: services.project_update(actor=request.user, project=project, **data),
            )
            if saved is not None:
                messages.success(request, _("Le projet est enregistré."))
                return redirect(project)
        messages.error(request, _("Le projet n'est pas enregistré : corrigez les champs signalés."))
        project.refresh_from_db()
    return render(request, "projects/edit.html", {"form": form, "project": project, "rights": rights})


@login_required
def project_facilitators(request, pk):
    project, rights = access.get_project_for_assigning(request.user, pk)
    initial = {"facilitators": list(project.facilitators.all())}
    form = FacilitatorsForm(posted(request), initial=initial)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.project_assign_facilitators(
                    actor=request.user, project=project, facilitators=list(form.cleaned_data["facilitators"])
                )
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Les accompagnateur·ices du projet sont enregistré·es."))
                return redirect(project)
        messages.error(request, _("Rien n'est enregistré : corrigez les champs signalés."))
    territory_facilitators = set(project.territory.facilitators.values_list("pk", flat=True))
    return render(
        request,
        "projects/facilitators.html",
        {
            "form": form,
            "project": project,
            "rights": rights,
            "territory_facilitators": territory_facilitators,
        },
    )


@login_required
def project_abandon(request, pk):
    project, rights = access.get_project_for_managing(request.user, pk)
    if project.stage == Stage.ABANDONED:
        messages.info(request, _("Ce projet est déjà abandonné."))
        return redirect(project)
    form = AbandonForm(posted(request))
    if request.method == "POST":
        if form.is_valid():
            try:
                services.project_abandon(
                    actor=request.user, project=project, reason=form.cleaned_data["reason"]
                )
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Le projet est abandonné ; il peut être repris à tout moment."))
                return redirect(project)
        messages.error(request, _("Le projet n'est pas abandonné : corrigez les champs signalés."))
    return render(request, "projects/abandon.html", {"form": form, "project": project, "rights": rights})


@require_POST
@login_required
def project_resume(request, pk):
    project, _rights = access.get_project_for_managing(request.user, pk)
    try:
        project = services.project_resume(actor=request.user, project=project)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Le projet est repris, à l'étape « %(stage)s ».") % {"stage": project.get_stage_display()},
        )
    return redirect(project)
