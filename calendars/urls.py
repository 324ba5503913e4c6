from core.access import EVERYONE, SIGNED_IN, Access, route

from . import views

app_name = "calendars"


def _token(world):
    return {"token": world.calendar_subscription.token}


def _event(world):
    return {"pk": world.public_event.pk}


def r(route_str, view, name, access):
    return route(route_str, view, name=name, namespace=app_name, access=access)


urlpatterns = [
    r("", views.agenda, "agenda", Access(SIGNED_IN)),
    r("abonnement/", views.subscribe, "subscribe", Access(SIGNED_IN, get=False, form=True)),
    r("abonnement/revoquer/", views.revoke, "revoke", Access(SIGNED_IN, get=False, form=True)),
    r(
        "abonnement/<str:token>/agenda.ics",
        views.personal_feed,
        "personal_feed",
        Access(
            EVERYONE,
            kwargs=_token,
            note="Lu par les agendas sans session : l'adresse secrète (celle de l'agent) suffit.",
        ),
    ),
    r("evenements.ics", views.public_feed, "public_feed", Access(EVERYONE)),
    r("evenements/<int:pk>.ics", views.event_ics, "event_ics", Access(EVERYONE, kwargs=_event)),
]
