from core.access import ADMINS, SIGNED_IN, Access, route

from .views import projects

# In the test world (tests/worlds/projects.py), the agent leads the pilot's project with the DGS on its team;
# the élu is on the territory's team but not the project's (read-only); the facilitator follows the territory
# and is assigned to the project; the outsider manages another territory.
TERRITORY_TEAM = frozenset({"agent", "dgs", "elu"})
READERS = TERRITORY_TEAM | {"facilitator", "admin"}
MANAGERS = frozenset({"agent", "dgs", "admin"})
REVIEWERS = frozenset({"facilitator", "admin"})
OUTSIDER = frozenset({"outsider"})


def _territory(world):
    return {"territory_pk": world.territory.pk}


def _project(world):
    return {"pk": world.project.pk}


def r(route_str, view, name, access):
    return route(route_str, view, name=name, namespace="projects", access=access)


urlpatterns = [
    r("projets/", projects.project_mine, "mine", Access(SIGNED_IN)),
    r("projets/tous/", projects.project_all, "all", Access(ADMINS)),
    r(
        "projets/relecture/",
        projects.review_queue,
        "review_queue",
        Access(REVIEWERS, note="Les accompagnateur·ices y voient leurs projets, les admins tous."),
    ),
    r(
        "territoires/<int:territory_pk>/projets/",
        projects.territory_projects,
        "territory_list",
        Access(READERS, kwargs=_territory),
    ),
    r(
        "territoires/<int:territory_pk>/projets/nouveau/",
        projects.project_create,
        "create",
        Access(
            TERRITORY_TEAM | ADMINS,
            kwargs=_territory,
            form=True,
            note="L'équipe du territoire lance ses projets ; ses accompagnateur·ices les relisent.",
        ),
    ),
    r(
        "projets/<int:pk>/",
        projects.project_detail,
        "detail",
        Access(READERS, kwargs=_project, hidden_from=OUTSIDER),
    ),
    r(
        "projets/<int:pk>/modifier/",
        projects.project_edit,
        "edit",
        Access(MANAGERS, kwargs=_project, form=True, hidden_from=OUTSIDER),
    ),
    r(
        "projets/<int:pk>/accompagnement/",
        projects.project_facilitators,
        "facilitators",
        Access(REVIEWERS, kwargs=_project, form=True, hidden_from=OUTSIDER),
    ),
    r(
        "projets/<int:pk>/abandonner/",
        projects.project_abandon,
        "abandon",
        Access(MANAGERS, kwargs=_project, form=True, hidden_from=OUTSIDER),
    ),
    r(
        "projets/<int:pk>/reprendre/",
        projects.project_resume,
        "resume",
        Access(MANAGERS, kwargs=_project, get=False, form=True, hidden_from=OUTSIDER),
    ),
]
