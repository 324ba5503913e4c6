from core.access import ADMINS, SIGNED_IN, Access, routes

from .views import projects

# In the test world (tests/worlds/projects.py), the agent leads the pilot's project with the DGS on its team;
# the élu is on the territory's team but not the project's (read-only); the facilitator follows the territory
# and is assigned to the project; the outsider manages another territory.
TERRITORY_TEAM = frozenset({"agent", "dgs", "elu"})
READERS = TERRITORY_TEAM | {"facilitator", "admin"}
MANAGERS = frozenset({"agent", "dgs", "admin"})
REVIEWERS = frozenset({"facilitator", "admin"})
OUTSIDER = frozenset({"outsider"})


r = routes("projects")


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
        Access(READERS),
    ),
    r(
        "territoires/<int:territory_pk>/projets/nouveau/",
        projects.project_create,
        "create",
        Access(
            TERRITORY_TEAM | ADMINS,
            form=True,
            note="L'équipe du territoire lance ses projets ; ses accompagnateur·ices les relisent.",
        ),
    ),
    r(
        "projets/<int:pk>/",
        projects.project_detail,
        "detail",
        Access(READERS, hidden_from=OUTSIDER),
    ),
    r(
        "projets/<int:pk>/modifier/",
        projects.project_edit,
        "edit",
        Access(MANAGERS, form=True, hidden_from=OUTSIDER),
    ),
    r(
        "projets/<int:pk>/accompagnement/",
        projects.project_facilitators,
        "facilitators",
        Access(REVIEWERS, form=True, hidden_from=OUTSIDER),
    ),
    r(
        "projets/<int:pk>/abandonner/",
        projects.project_abandon,
        "abandon",
        Access(MANAGERS, form=True, hidden_from=OUTSIDER),
    ),
    r(
        "projets/<int:pk>/reprendre/",
        projects.project_resume,
        "resume",
        Access(MANAGERS, get=False, form=True, hidden_from=OUTSIDER),
    ),
]
