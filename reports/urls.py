from core.access import SIGNED_IN, Access, routes

from . import views

app_name = "reports"

# In the test world the territory is published: its team (the agent who manages it, the DGS, the élu), its
# facilitator and the admins ask for the full synthesis; the outsider, signed in, for its public version
# only. world.synthesis holds no récit kept to the team and no proposal's text, so every reader of the
# territory's private pages reads it; the outsider does not see it exist.
READERS = frozenset({"agent", "dgs", "elu", "facilitator", "admin"})


r = routes(app_name)


urlpatterns = [
    r(
        "territoires/<int:pk>/bilan/",
        views.synthesis,
        "synthesis",
        Access(
            SIGNED_IN,
            note="Le bilan complet pour l'équipe, l'accompagnement et les admins ; sa version publique pour "
            "toute personne connectée quand le territoire est publié.",
        ),
    ),
    r(
        "territoires/<int:pk>/bilan/demander/",
        views.synthesis_request,
        "synthesis_request",
        Access(SIGNED_IN, get=False, form=True),
    ),
    r(
        "bilans/<int:pk>/",
        views.synthesis_detail,
        "synthesis_detail",
        Access(READERS, hidden_from=frozenset({"outsider"})),
    ),
]
