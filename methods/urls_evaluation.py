"""Évaluer / délibérer sur la valeur créée: the sessions of a project or of a territory, and each session's
pages (flat URLs: a session knows its scope)."""

from core.access import Access, route

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


def _project(world):
    return {"pk": world.project.pk}


def _territory(world):
    return {"territory_pk": world.territory.pk}


def _session(world):
    return {"session_pk": world.evaluation.pk}


def _territory_session(world):
    return {"session_pk": world.territory_evaluation.pk}


def r(route_str, view, name, access):
    return route(route_str, view, name=name, namespace="methods", access=access)


urlpatterns = [
    r(
        "projets/<int:pk>/valeur-creee/",
        views.evaluations_project,
        "evaluations_project",
        Access(READERS, kwargs=_project, hidden_from=OUTSIDER),
    ),
    r(
        "projets/<int:pk>/valeur-creee/nouvelle-seance/",
        views.evaluation_open_project,
        "evaluation_open_project",
        Access(
            OPENERS,
            kwargs=_project,
            form=True,
            hidden_from=OUTSIDER,
            note="L'équipe du territoire ou du projet et l'accompagnement ouvrent les séances.",
        ),
    ),
    r(
        "territoires/<int:territory_pk>/valeur-creee/",
        views.evaluations_territory,
        "evaluations_territory",
        Access(READERS, kwargs=_territory),
    ),
    r(
        "territoires/<int:territory_pk>/valeur-creee/nouvelle-seance/",
        views.evaluation_open_territory,
        "evaluation_open_territory",
        Access(OPENERS, kwargs=_territory, form=True),
    ),
    r(
        "valeur-creee/<int:session_pk>/",
        views.evaluation_detail,
        "evaluation_detail",
        Access(READERS, kwargs=_session, hidden_from=OUTSIDER),
    ),
    r(
        "valeur-creee/<int:session_pk>/mon-evaluation/",
        views.evaluation_rate,
        "evaluation_rate",
        Access(
            PROJECT_PARTICIPANTS,
            kwargs=_session,
            form=True,
            hidden_from=OUTSIDER,
            note="Chaque participant·e évalue pour soi-même.",
        ),
    ),
    r(
        "valeur-creee/<int:session_pk>/deliberation/ouvrir/",
        views.evaluation_start_deliberation,
        "evaluation_start_deliberation",
        Access(PROJECT_PARTICIPANTS, kwargs=_session, get=False, hidden_from=OUTSIDER),
    ),
    r(
        "valeur-creee/<int:session_pk>/deliberation/",
        views.evaluation_deliberate,
        "evaluation_deliberate",
        Access(
            TERRITORY_PARTICIPANTS,
            kwargs=_territory_session,
            form=True,
            note="Les participant·es et l'accompagnement du territoire ou du projet délibèrent.",
        ),
    ),
    r(
        "valeur-creee/<int:session_pk>/cloturer/",
        views.evaluation_close,
        "evaluation_close",
        Access(TERRITORY_PARTICIPANTS, kwargs=_territory_session, get=False),
    ),
    r(
        "valeur-creee/<int:session_pk>/rouvrir/",
        views.evaluation_reopen,
        "evaluation_reopen",
        Access(TERRITORY_PARTICIPANTS, kwargs=_territory_session, get=False),
    ),
    r(
        "valeur-creee/<int:session_pk>/radar.svg",
        views.evaluation_radar_svg,
        "evaluation_radar_svg",
        Access(READERS, kwargs=_session, hidden_from=OUTSIDER),
    ),
]
