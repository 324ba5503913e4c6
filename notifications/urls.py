from core.access import SIGNED_IN, Access, routes

from . import views

app_name = "notifications"


r = routes(app_name)


urlpatterns = [
    r("", views.notification_list, "list", Access(SIGNED_IN)),
    r(
        "<int:pk>/",
        views.notification_open,
        "open",
        Access(
            frozenset({"agent"}),
            hidden_from=SIGNED_IN - {"agent"},
            note="L'ouvrir la marque comme lue ; elle n'existe que pour sa ou son destinataire.",
        ),
    ),
    r(
        "tout-marquer-comme-lu/",
        views.mark_all_read,
        "mark_all_read",
        Access(SIGNED_IN, get=False, form=True),
    ),
    r("preferences/", views.preferences, "preferences", Access(SIGNED_IN, form=True)),
]
