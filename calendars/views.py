from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.decorators import login_required
from core.ical import ics_response
from pages.selectors import public_event

from . import selectors, services


def _feed_url(request, subscription):
    return request.build_absolute_uri(reverse("calendars:personal_feed", args=[subscription.token]))


@login_required
def agenda(request):
    """The person's agenda page: their next meetings and sessions, and the secret address of their feed."""
    subscription = selectors.subscription_of(request.user)
    today = timezone.localdate()
    items = [
        item
        for item in selectors.personal_items(request.user)
        if (item.start if item.is_whole_day else timezone.localdate(item.start)) >= today
    ]
    return render(
        request,
        "calendars/agenda.html",
        {
            "subscription": subscription,
            "feed_url": _feed_url(request, subscription) if subscription else "",
            "public_feed_url": request.build_absolute_uri(reverse("calendars:public_feed")),
            "items": items,
        },
    )


@login_required
@require_POST
def subscribe(request):
    had_one = selectors.subscription_of(request.user) is not None
    services.subscription_renew(actor=request.user)
    messages.success(
        request,
        _("Votre nouvelle adresse d'abonnement est prête ; l'ancienne ne fonctionne plus.")
        if had_one
        else _("Votre adresse d'abonnement est prête : ajoutez-la à votre agenda."),
    )
    return redirect("calendars:agenda")


@login_required
@require_POST
def revoke(request):
    if services.subscription_revoke(actor=request.user):
        messages.success(request, _("Votre adresse d'abonnement est révoquée : plus aucun agenda ne la lit."))
    return redirect("calendars:agenda")


def personal_feed(request, token):
    """The feed an agenda follows: read with the secret address alone, without a session."""
    subscription = selectors.subscription_by_token(token)
    if subscription is None:
        raise Http404
    services.subscription_read(subscription=subscription)
    response = ics_response(
        _("La Fabrique des Transitions — mon agenda"),
        selectors.personal_items(subscription.user),
        filename="fabrique-mon-agenda.ics",
        attachment=False,
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


def public_feed(request):
    response = ics_response(
        _("La Fabrique des Transitions — événements"),
        selectors.public_items(),
        filename="fabrique-evenements.ics",
        attachment=False,
    )
    response["Cache-Control"] = "public, max-age=3600"
    return response


def event_ics(request, pk):
    event = public_event(pk)
    if event is None:
        raise Http404
    return ics_response(
        _("La Fabrique des Transitions — événements"),
        [selectors.event_item(event)],
        filename=f"evenement-{event.pk}.ics",
    )
