from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from core.decorators import login_required
from core.errors import DomainError
from core.files import file_response
from core.params import parse_id
from projects.access import get_deliverable_for_user, get_project_for_user

from . import selectors, services
from .access import get_document_for_user
from .models import DocumentStatus, Variant


def _variant(request) -> str:
    """The format asked for: a PDF profile or an office format; the accessible PDF otherwise."""
    variant = request.POST.get("variant") or Variant.ACCESSIBLE
    return variant if variant in Variant.values else Variant.ACCESSIBLE


def _show(request, document):
    if request.htmx:
        return render(request, "documents/_status.html", {"document": document})
    return redirect("documents:status", pk=document.pk)


@login_required
@require_POST
def request_note(request, pk, kind):
    deliverable, _rights = get_deliverable_for_user(request.user, pk, kind)
    version = None
    number = request.POST.get("version", "")
    if number:
        number = parse_id(number)
        version = selectors.deliverable_version(deliverable, number) if number is not None else None
        if version is None:
            raise Http404
    try:
        document = services.document_request_note(
            actor=request.user, deliverable=deliverable, version=version, variant=_variant(request)
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(deliverable.get_absolute_url())
    return _show(request, document)


@login_required
@require_POST
def request_dossier(request, pk):
    project, _rights = get_project_for_user(request.user, pk)
    document = services.document_request_dossier(
        actor=request.user, project=project, variant=_variant(request)
    )
    return _show(request, document)


@login_required
@require_GET
def status(request, pk):
    document = get_document_for_user(request.user, pk)
    if request.htmx and request.GET.get("seen") == document.status:
        # Nothing new: htmx swaps nothing on a 204 and keeps polling, so the live region that holds the status
        # is not re-announced every two seconds.
        return HttpResponse(status=204)
    template = "documents/_status.html" if request.htmx else "documents/status.html"
    return render(request, template, {"document": document})


@login_required
@require_GET
def download(request, pk):
    document = get_document_for_user(request.user, pk)
    if document.status != DocumentStatus.READY:
        raise Http404
    # A document is as private as what it shows: never stored by a shared cache (file_response's default).
    return file_response(
        document.file, filename=document.download_name(), content_type=document.format.content_type
    )
