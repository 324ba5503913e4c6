from core.access import Access, routes

from .views import review

# In the test world (tests/worlds/projects.py) the note d'intention is validated and the note de cadrage is
# submitted with a comment; the agent and the DGS are the project's team, the élu reads only, the facilitator
# is assigned to the project, the outsider belongs to another territory and must not learn the project exists.
READERS = frozenset({"agent", "dgs", "elu", "facilitator", "admin"})
COMMENTERS = frozenset({"agent", "dgs", "facilitator", "admin"})
REVIEWERS = frozenset({"facilitator", "admin"})
OUTSIDER = frozenset({"outsider"})

DELIVERABLE = "projets/<int:pk>/livrables/<slug:kind>/"


r = routes("projects")


urlpatterns = [
    r(
        DELIVERABLE + "relecture/",
        review.review,
        "review",
        Access(
            REVIEWERS,
            form=True,
            hidden_from=OUTSIDER,
            note="The assigned facilitator or an admin decides.",
        ),
    ),
    r(
        DELIVERABLE + "rouvrir/",
        review.reopen,
        "reopen",
        Access(REVIEWERS, form=True, hidden_from=OUTSIDER),
    ),
    r(
        DELIVERABLE + "commentaires/",
        review.comment_add,
        "comment_add",
        Access(
            COMMENTERS,
            get=False,
            form=True,
            hidden_from=OUTSIDER,
            note="The élu reads the project but is not on its team: no comments.",
        ),
    ),
    r(
        DELIVERABLE + "commentaires/<int:comment_pk>/",
        review.comment_thread,
        "comment_thread",
        Access(
            READERS,
            hidden_from=OUTSIDER,
            note="Whoever reads the note reads its threads; replying stays with those who may comment.",
        ),
    ),
    r(
        DELIVERABLE + "commentaires/<int:comment_pk>/resoudre/",
        review.comment_resolve,
        "comment_resolve",
        Access(COMMENTERS, get=False, hidden_from=OUTSIDER),
    ),
    r(
        DELIVERABLE + "commentaires/<int:comment_pk>/rouvrir/",
        review.comment_reopen,
        "comment_reopen",
        Access(COMMENTERS, get=False, hidden_from=OUTSIDER),
    ),
    r(
        "projets/<int:pk>/notes-privees/",
        review.private_note_add,
        "private_note_add",
        Access(
            REVIEWERS,
            get=False,
            form=True,
            hidden_from=OUTSIDER,
            note="The territory's team sees the project, never the facilitators' private notes.",
        ),
    ),
    r(
        DELIVERABLE + "versions/",
        review.versions,
        "versions",
        Access(READERS, hidden_from=OUTSIDER),
    ),
    r(
        DELIVERABLE + "versions/comparer/",
        review.compare,
        "compare",
        Access(READERS, hidden_from=OUTSIDER),
    ),
    r(
        DELIVERABLE + "versions/<int:number>/",
        review.version,
        "version",
        Access(READERS, hidden_from=OUTSIDER),
    ),
]
