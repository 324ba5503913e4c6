from . import health
from .access import EVERYONE, Access, route

app_name = "core"

urlpatterns = [
    route(
        "sante/",
        health.health,
        name="health",
        namespace=app_name,
        access=Access(EVERYONE, note="Supervision : état de la base, du cache et du worker, sans secret."),
    ),
]
