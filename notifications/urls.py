from core.access import SIGNED_IN, Access, route

from . import views

app_name = "notifications"


def _notification(world):
    return {"pk": world.notification.pk}


def r(route_str, view, name, access):
    return route(route_str, view, name=name, namespace=app_name, access=access)


urlpatterns = [
    r("", views.notification_list, "list", Access(SIGNED_IN)),
    r(
        "<int:pk>/",
        views.notification_open,
        "open",
        Access(
            frozenset({"agent"}),
            kwargs=_notification,
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
