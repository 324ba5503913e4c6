"""The person's pages about their personal data, and the admins' register of requests."""

import json
from urllib.parse import urlencode

from allauth.account.adapter import get_adapter
from allauth.account.decorators import reauthentication_required
from allauth.account.internal.flows.reauthentication import is_reauthentication_required
from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.decorators import admin_required, login_required
from core.errors import DomainError

from . import privacy, selectors


class DeleteAccountForm(forms.Form):
    confirm = forms.BooleanField(
        label=gettext_lazy("Je comprends que mon compte sera supprimé définitivement."),
        error_messages={"required": gettext_lazy("Cochez la case pour confirmer la suppression.")},
    )


# The privacy page's address after the password is typed again: the download starts from it.
EXPORT_READY = "telecharger"


@login_required
def privacy_page(request):
    # Back from « Confirmer l'accès »: the page starts the download itself (and says so), so the person stays
    # here rather than on the password page, which a download would not leave.
    export_ready = EXPORT_READY in request.GET and not is_reauthentication_required(request, app="")
    return render(
        request,
        "accounts/privacy.html",
        {"obstacles": privacy.deletion_obstacles(request.user), "export_ready": export_ready},
    )


@login_required
@require_POST
def privacy_export(request):
    if is_reauthentication_required(request, app=""):
        # Not allauth's decorator: it would replay this POST as the answer to the password page, and the
        # person would be left on that page once the file is downloaded.
        back = f"{reverse('accounts:privacy')}?{EXPORT_READY}=1"
        confirm = get_adapter().get_reauthentication_methods(request.user)[0]["url"]
        return redirect(f"{confirm}?{urlencode({'next': back})}")
    document = privacy.privacy_export(user=request.user)
    body = json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    filename = f"mes-donnees-fabrique-des-transitions-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@reauthentication_required(allow_get=True)
def account_delete(request):
    form = DeleteAccountForm(request.POST if request.method == "POST" else None)
    obstacles = privacy.deletion_obstacles(request.user)
    if request.method == "POST" and form.is_valid():
        try:
            privacy.account_delete(user=request.user)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            logout(request)
            messages.success(request, _("Votre compte est supprimé. Merci d'avoir contribué à l'alliance."))
            return redirect("pages:home")
    return render(
        request,
        "accounts/account_delete.html",
        {"form": form, "obstacles": obstacles},
        status=400 if form.errors else 200,
    )


@admin_required
def privacy_log(request):
    page = Paginator(selectors.privacy_requests(), 50).get_page(request.GET.get("page"))
    return render(request, "accounts/privacy_log.html", {"page": page})
