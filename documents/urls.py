from core.access import SIGNED_IN, Access, route

from . import views

app_name = "documents"

# Whoever reads the project (its territory's team, élu included, its facilitators, admins) may print it; the
# outsider manages another territory and finds nothing here.
READERS = frozenset({"agent", "dgs", "elu", "facilitator", "admin"})
HIDDEN = SIGNED_IN - READERS


urlpatterns = [
    route(
        "projets/<int:pk>/livrables/<str:kind>/pdf/",
        views.request_note,
        name="request_note",
        namespace=app_name,
        access=Access(READERS, get=False, hidden_from=HIDDEN),
    ),
    route(
        "projets/<int:pk>/dossier-pdf/",
        views.request_dossier,
        name="request_dossier",
        namespace=app_name,
        access=Access(READERS, get=False, hidden_from=HIDDEN),
    ),
    route(
        "documents/<int:pk>/",
        views.status,
        name="status",
        namespace=app_name,
        access=Access(READERS, hidden_from=HIDDEN),
    ),
    route(
        "documents/<int:pk>/telecharger/",
        views.download,
        name="download",
        namespace=app_name,
        access=Access(
            READERS,
            hidden_from=HIDDEN,
            note="Pas d'adresse publique : chaque téléchargement repasse par les droits du projet.",
        ),
    ),
]
