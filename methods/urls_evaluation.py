"""Évaluer / délibérer sur la valeur créée: the sessions of a project or of a territory, and each session's
pages (flat URLs: a session knows its scope)."""

from core.access import Access, routes

from .views import evaluation as views

# In the test world (tests/worlds/methods_evaluation.py): world.evaluation is a session of the pilot's project
# still in its individual ratings, with the agent, the DGS and the facilitator as participants (the élu reads
# the project, outside its team, and takes no part); world.territory_evaluation is a session of the territory
# in deliberation, with the agent, the DGS, the élu and the facilitator. The outsider manages another
# territory: the project hides itself (404), the published territory refuses its private pages (403).
READERS = frozenset({"agent", "dgs", "elu", "facilitator", "admin"})
OPENERS = frozenset({"agent", "dgs", "elu", "facilitator"})
PROJECT_PARTICIPANTS = frozenset({"agent", "dgs", "facilitator"})
TERRITORY_PARTICIPANTS = frozenset({"agent", "dgs", "elu", "facilitator"})
OUTSIDER = frozenset({"outsider"})


r = routes("methods")


urlpatterns = [
    r(
        "projets/<int:pk>/valeur-creee/",
        views.evaluations_project,
        "evaluations_project",
        Access(READERS, hidden_from=OUTSIDER),
    ),
    r(
        "projets/<int:pk>/valeur-creee/nouvelle-seance/",
        views.evaluation_open_project,
        "evaluation_open_project",
        Access(
            OPENERS,
            form=True,
            hidden_from=OUTSIDER,
            note="L'équipe du territoire ou du projet et l'accompagnement ouvrent les séances.",
        ),
    ),
    r(
        "territoires/<int:territory_pk>/valeur-creee/",
        views.evaluations_territory,
        "evaluations_territory",
        Access(READERS),
    ),
    r(
        "territoires/<int:territory_pk>/valeur-creee/nouvelle-seance/",
        views.evaluation_open_territory,
        "evaluation_open_territory",
        Access(OPENERS, form=True),
    ),
    r(
        "valeur-creee/<int:session_pk>/",
        views.evaluation_detail,
        "evaluation_detail",
        Access(READERS, hidden_from=OUTSIDER),
    ),
    r(
        "valeur-creee/<int:session_pk>/mon-evaluation/",
        views.evaluation_rate,
        "evaluation_rate",
        Access(
            PROJECT_PARTICIPANTS,
            form=True,
            hidden_from=OUTSIDER,
            note="Chaque participant·e évalue pour soi-même.",
        ),
    ),
    r(
        "valeur-creee/<int:session_pk>/deliberation/ouvrir/",
        views.evaluation_start_deliberation,
        "evaluation_start_deliberation",
        Access(PROJECT_PARTICIPANTS, get=False, hidden_from=OUTSIDER),
    ),
    r(
        "valeur-creee/<int:session_pk>/deliberation/",
        views.evaluation_deliberate,
        "evaluation_deliberate",
        Access(
            TERRITORY_PARTICIPANTS,
            form=True,
            note="Les participant·es et l'accompagnement du territoire ou du projet délibèrent.",
        ),
    ),
    r(
        "valeur-creee/<int:session_pk>/cloturer/",
        views.evaluation_close,
        "evaluation_close",
        Access(TERRITORY_PARTICIPANTS, get=False),
    ),
    r(
        "valeur-creee/<int:session_pk>/rouvrir/",
        views.evaluation_reopen,
        "evaluation_reopen",
        Access(TERRITORY_PARTICIPANTS, get=False),
    ),
    r(
        "valeur-creee/<int:session_pk>/radar.svg",
        views.evaluation_radar_svg,
        "evaluation_radar_svg",
        Access(READERS, hidden_from=OUTSIDER),
    ),
]
