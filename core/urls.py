from . import health, views
from .access import EVERYONE, Access, route

app_name = "core"

urlpatterns = [
    route("", views.home, name="home", namespace=app_name, access=Access(EVERYONE)),
    route(
        "sante/",
        health.health,
        name="health",
        namespace=app_name,
        access=Access(EVERYONE, note="Supervision : état de la base, du cache et du worker, sans secret."),
    ),
]
