from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.audit import history_of
from core.decorators import login_required
from core.editing import posted
from core.errors import DomainError
from core.files import PRIVATE, file_response
from territories.access import territories_visible_to

from . import access, selectors, services
from .cards import resource_cards_html
from .forms import AttachmentForm, ResourceForm, SearchForm, SendBackForm
from .models import ResourceKind

PAGE_SIZE = 20


# --- Reading -----------------------------------------------------------------------------------------


def resource_list(request):
    form = SearchForm(request.GET or None)
    form.is_valid()
    # The filters that are understood apply even when another one is not.
    data = getattr(form, "cleaned_data", {})
    theme = selectors.theme_by_slug(data["theme"]) if data.get("theme") else None
    territories = territories_visible_to(request.user)
    territory_id = data.get("territoire")
    if territory_id is not None and not territories.filter(pk=territory_id).exists():
        # A territory the viewer may not see is ignored, as one that does not exist.
        territory_id = None
    text = data.get("q") or ""
    filters = selectors.Filters(
        query=selectors.search_query(text),
        text=text,
        kind=data.get("type") or "",
        theme=theme,
        territory_id=territory_id,
    )
    member = access.is_alliance_member(request.user)
    visible = access.resources_visible_to(request.user, member=member)
    # A common word matches thousands of resources: they are counted and ranked once, by id, kept for the
    # next searches of the same words, and only the page's rows are read, with their excerpts.
    ranking, counts = selectors.ranked_search(visible, filters, member=member)
    facets = selectors.visible_facets(counts, territories)
    if ranking is None:
        results = selectors.with_tag_names(selectors.search(visible, filters), territories)
        page = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
    else:
        page = Paginator(ranking.ids, PAGE_SIZE).get_page(request.GET.get("page"))
        page.object_list = selectors.page_rows(
            selectors.with_tag_names(visible, territories), page.object_list, filters.query
        )
    page.object_list = list(page.object_list)
    territory_name = next(
        (name for pk, name, _n in facets["territories"] if pk == filters.territory_id), None
    )
    return render(
        request,
        "library/list.html",
        {
            "form": form,
            "page": page,
            "cards": resource_cards_html(page.object_list),
            "total": page.paginator.count if ranking is None else ranking.total,
            "ranking": ranking,
            "filters": filters,
            "query_text": data.get("q") or "",
            "facets": facets,
            "territory_name": territory_name,
            "kinds": dict(ResourceKind.choices),
            "can_contribute": member,
        },
    )


def resource_detail(request, pk):
    resource, rights = access.get_resource_for_user(request.user, pk)
    context = {
        "resource": resource,
        "rights": rights,
        "themes": list(resource.themes.order_by("position", "name")),
        "territories": list(territories_visible_to(request.user).filter(resources=resource).order_by("name")),
        "authors": list(resource.authors.order_by("full_name", "email")),
        "attachments": list(resource.attachments.all()),
    }
    if resource.is_published:
        visible = access.resources_visible_to(request.user, member=rights.is_member)
        related = selectors.related_resources(
            resource, visible, themes=context["themes"], territories=context["territories"]
        )
        context["related"] = list(related)
    if rights.can_bookmark:
        context["bookmarked"] = selectors.is_bookmarked(request.user, resource)
    if rights.is_author or rights.is_publisher:
        context["history"] = list(history_of(resource)[:20])
    if rights.can_send_back:
        context["send_back_form"] = SendBackForm()
    return render(request, "library/detail.html", context)


def attachment(request, pk, attachment_pk):
    item, _rights = access.get_attachment_for_user(request.user, pk, attachment_pk)
    return file_response(
        item.file,
        filename=item.filename,
        content_type=item.content_type,
        # Only a public resource's files may stay in shared caches.
        cache_control="public, max-age=3600" if item.resource.is_public else PRIVATE,
    )


@login_required
def mine(request):
    user = request.user
    member = access.is_alliance_member(user)
    visible = access.resources_visible_to(user, member=member)
    bookmarks = selectors.with_labels(
        visible.filter(bookmarks__user=user).order_by("-bookmarks__created_at", "-pk"), user
    )
    context = {
        "bookmarks": list(bookmarks),
        "own": selectors.resources_by(user),
        "can_contribute": member,
    }
    if access.is_publisher(user):
        context["to_review"] = selectors.resources_to_review()
    return render(request, "library/mine.html", context)


# --- Writing -----------------------------------------------------------------------------------------


def _m2m(form):
    return form.cleaned_data.get("themes") or [], form.cleaned_data.get("territories") or []


@login_required
def resource_create(request):
    if not access.can_contribute(request.user):
        raise PermissionDenied
    form = ResourceForm(posted(request), user=request.user)
    if request.method == "POST":
        if form.is_valid():
            themes, territories = _m2m(form)
            resource = services.resource_create(
                actor=request.user, fields=form.cleaned_data, themes=themes, territories=territories
            )
            messages.success(
                request,
                _("Le brouillon est enregistré : ajoutez des pièces jointes, puis soumettez-le."),
            )
            return redirect("library:edit", pk=resource.pk)
        messages.error(request, _("La ressource n'est pas enregistrée : corrigez les champs signalés."))
    return render(request, "library/form.html", {"form": form})


def _edit_page(request, resource, rights, form, attachment_form, status=200):
    return render(
        request,
        "library/form.html",
        {
            "form": form,
            "resource": resource,
            "rights": rights,
            "attachments": list(resource.attachments.all()),
            "attachment_form": attachment_form,
        },
        status=status,
    )


@login_required
def resource_edit(request, pk):
    resource, rights = access.get_resource_for_editing(request.user, pk)
    # The form writes into a copy: the page's title stays the saved one while the form shows errors.
    form = ResourceForm(posted(request), instance=selectors.resource_as_stored(resource), user=request.user)
    if request.method == "POST":
        if form.is_valid():
            themes, territories = _m2m(form)
            try:
                services.resource_update(
                    actor=request.user,
                    resource=resource,
                    fields=form.cleaned_data,
                    themes=themes,
                    territories=territories,
                )
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("La ressource est enregistrée."))
                return redirect("library:detail", pk=resource.pk)
        messages.error(request, _("La ressource n'est pas enregistrée : corrigez les champs signalés."))
    return _edit_page(request, resource, rights, form, AttachmentForm())


@login_required
@require_POST
def attachment_add(request, pk):
    resource, rights = access.get_resource_for_editing(request.user, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        item = services.attachment_add(
            actor=request.user,
            resource=resource,
            file=form.cleaned_data["file"],
            title=form.cleaned_data["title"],
        )
        messages.success(request, _("« %(title)s » est jointe à la ressource.") % {"title": item.title})
        return redirect("library:edit", pk=resource.pk)
    messages.error(request, _("La pièce jointe n'est pas ajoutée : corrigez les champs signalés."))
    resource.refresh_from_db()
    return _edit_page(request, resource, rights, ResourceForm(instance=resource, user=request.user), form)


@login_required
@require_POST
def attachment_remove(request, pk, attachment_pk):
    resource, _rights = access.get_resource_for_editing(request.user, pk)
    item = selectors.attachment_of(resource, attachment_pk)
    if item is None:
        raise Http404
    item.resource = resource
    services.attachment_remove(actor=request.user, attachment=item)
    messages.success(request, _("« %(title)s » est retirée de la ressource.") % {"title": item.title})
    return redirect("library:edit", pk=resource.pk)


# --- The review ---------------------------------------------------------------------------------------


def _workflow_step(request, pk, allowed, step, success):
    resource, rights = access.get_resource_for_user(request.user, pk)
    if not allowed(rights):
        raise PermissionDenied
    try:
        step(resource)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, success)
    return redirect("library:detail", pk=resource.pk)


@login_required
@require_POST
def resource_submit(request, pk):
    return _workflow_step(
        request,
        pk,
        lambda rights: rights.can_submit,
        lambda resource: services.resource_submit(actor=request.user, resource=resource),
        _("La ressource est soumise à la relecture : les relecteur·ices sont prévenu·es."),
    )


@login_required
@require_POST
def resource_publish(request, pk):
    return _workflow_step(
        request,
        pk,
        lambda rights: rights.can_publish,
        lambda resource: services.resource_publish(actor=request.user, resource=resource),
        _("La ressource est publiée."),
    )


@login_required
@require_POST
def resource_send_back(request, pk):
    resource, rights = access.get_resource_for_user(request.user, pk)
    if not rights.can_send_back:
        raise PermissionDenied
    form = SendBackForm(request.POST)
    if form.is_valid():
        try:
            services.resource_send_back(
                actor=request.user, resource=resource, message=form.cleaned_data["message"]
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("La ressource est renvoyée en brouillon à ses auteur·ices."))
        return redirect("library:detail", pk=resource.pk)
    messages.error(request, _("Dites aux auteur·ices ce qu'il faut reprendre."))
    return redirect("library:detail", pk=resource.pk)


# --- Bookmarks ----------------------------------------------------------------------------------------


@login_required
@require_POST
def bookmark(request, pk):
    resource, rights = access.get_resource_for_user(request.user, pk)
    try:
        bookmarked = services.bookmark_toggle(user=request.user, resource=resource)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("library:detail", pk=resource.pk)
    if request.htmx:
        return render(
            request,
            "library/includes/bookmark_button.html",
            {"resource": resource, "bookmarked": bookmarked, "announce": True},
        )
    messages.success(
        request,
        _("La ressource est dans vos favoris.")
        if bookmarked
        else _("La ressource est retirée de vos favoris."),
    )
    return redirect("library:detail", pk=resource.pk)
