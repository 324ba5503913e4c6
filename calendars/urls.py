from core.access import EVERYONE, SIGNED_IN, Access, routes

from . import views

app_name = "calendars"


r = routes(app_name)


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
            note="Lu par les agendas sans session : l'adresse secrète (celle de l'agent) suffit.",
        ),
    ),
    r("evenements.ics", views.public_feed, "public_feed", Access(EVERYONE)),
    r("evenements/<int:pk>.ics", views.event_ics, "event_ics", Access(EVERYONE)),
]
