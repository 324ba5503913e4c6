from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from core.decorators import login_required
from core.errors import DomainError

from . import services
from .access import get_synthesis_for_user, get_territory_for_synthesis
from .forms import SynthesisForm
from .selectors import synthesis_data


def _page(request, territory, reader, form, *, status=200, preview=None):
    # The request form carries the same choices as hidden fields, without ids of their own.
    hidden = SynthesisForm(
        form.data if form.is_bound else None, sees_private=reader.sees_private, auto_id=False
    )
    return render(
        request,
        "reports/synthesis.html",
        {"territory": territory, "reader": reader, "form": form, "hidden": hidden, "preview": preview},
        status=status,
    )


@login_required
@require_GET
def synthesis(request, pk):
    """Choose the period and the sections; with them in the query string, preview the synthesis."""
    territory, reader = get_territory_for_synthesis(request.user, pk)
    if "apercu" not in request.GET:
        return _page(request, territory, reader, SynthesisForm(sees_private=reader.sees_private))
    form = SynthesisForm(request.GET, sees_private=reader.sees_private)
    if not form.is_valid():
        return _page(request, territory, reader, form, status=422)
    preview = synthesis_data(
        territory=territory,
        period=form.period,
        sections=form.cleaned_data["sections"],
        reader=reader,
        public=form.cleaned_data["public"],
    )
    return _page(request, territory, reader, form, preview=preview)


@login_required
@require_POST
def synthesis_request(request, pk):
    territory, reader = get_territory_for_synthesis(request.user, pk)
    form = SynthesisForm(request.POST, sees_private=reader.sees_private)
    if not form.is_valid():
        return _page(request, territory, reader, form, status=422)
    try:
        synthesis = services.synthesis_request(
            actor=request.user,
            territory=territory,
            period=form.period,
            sections=form.cleaned_data["sections"],
            public=form.cleaned_data["public"],
            reader=reader,
        )
    except DomainError as refused:
        form.add_error(None, refused.message)
        return _page(request, territory, reader, form, status=422)
    return redirect(synthesis.get_absolute_url())


@login_required
@require_GET
def synthesis_detail(request, pk):
    synthesis, _reader = get_synthesis_for_user(request.user, pk)
    return render(request, "reports/detail.html", {"synthesis": synthesis, "territory": synthesis.territory})
