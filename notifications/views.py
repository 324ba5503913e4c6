from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.decorators import login_required

from . import kinds, selectors, services
from .access import get_notification_for_user
from .forms import PreferencesForm
from .models import Frequency

PAGE_SIZE = 20


def _page(request):
    return Paginator(selectors.notifications_for(request.user), PAGE_SIZE).get_page(request.GET.get("page"))


@login_required
def notification_list(request):
    """Unread ones first, then the newest."""
    return render(request, "notifications/list.html", {"page": _page(request)})


@login_required
def notification_open(request, pk):
    notification = get_notification_for_user(request.user, pk)
    notification.mark_read()
    if url_has_allowed_host_and_scheme(notification.url, allowed_hosts={request.get_host()}):
        return redirect(notification.url)
    return redirect("notifications:list")


@login_required
@require_POST
def mark_all_read(request):
    count = services.notifications_mark_all_read(actor=request.user)
    text = (
        _("Toutes vos notifications sont marquées comme lues.")
        if count
        else _("Vous n'aviez aucune notification non lue.")
    )
    if request.htmx:
        # The list is swapped in place, and the header's count with it (out of band).
        return render(
            request,
            "notifications/includes/mark_all_read.html",
            {"page": _page(request), "status_text": text},
        )
    messages.success(request, text)
    return redirect("notifications:list")


@login_required
def preferences(request):
    data = request.POST if request.method == "POST" else None
    form = PreferencesForm(data, current=services.frequencies_of(request.user))
    if request.method == "POST":
        if form.is_valid():
            services.preferences_save(actor=request.user, frequencies=form.changed_frequencies())
            messages.success(request, _("Vos préférences de notification sont enregistrées."))
            return redirect("notifications:preferences")
        messages.error(request, _("Vos préférences ne sont pas enregistrées : corrigez les choix signalés."))
    return render(
        request,
        "notifications/preferences.html",
        {"form": form, "has_kinds": bool(kinds.KINDS), "frequencies": Frequency.choices},
        status=400 if form.errors else 200,
    )
