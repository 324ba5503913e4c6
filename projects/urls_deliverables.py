from core.access import Access, routes

from .views import deliverables, questions

# In the test world (tests/worlds/projects.py) the pages are read on the pilot project's note de cadrage
# (submitted); the writing views act on world.draft, the note de faisabilité being written in the pilot's
# second project. The agent (lead) and the DGS are on both project teams; the élu is on the territory's team
# only (reads); the facilitator follows the territory (reads, reviews, never writes); an admin reads; the
# outsider's territory is another one, so the project does not exist for them.
READERS = frozenset({"agent", "dgs", "elu", "facilitator", "admin"})
WRITERS = frozenset({"agent", "dgs"})
OUTSIDER = frozenset({"outsider"})
DELIVERABLE = "projets/<int:pk>/livrables/<str:kind>/"
QUESTION = DELIVERABLE + "questions/<int:number>/"
PART = DELIVERABLE + "parties/<str:part>/"


r = routes("projects")


urlpatterns = [
    r(
        DELIVERABLE + "questions-a-jour/",
        questions.deliverable_migrate,
        "deliverable_migrate",
        Access(
            WRITERS,
            form=True,
            hidden_from=OUTSIDER,
            note="L'équipe passe son brouillon aux questions en vigueur, après un écran de revue.",
        ),
    ),
    r(
        DELIVERABLE,
        deliverables.deliverable_page,
        "deliverable",
        Access(READERS, hidden_from=OUTSIDER),
    ),
    r(
        QUESTION,
        deliverables.answer_save,
        "answer_save",
        Access(WRITERS, get=False, form=True, hidden_from=OUTSIDER),
    ),
    r(
        QUESTION + "historique/",
        deliverables.answer_history,
        "answer_history",
        Access(READERS, hidden_from=OUTSIDER),
    ),
    r(
        QUESTION + "historique/<int:revision_pk>/restaurer/",
        deliverables.answer_restore,
        "answer_restore",
        Access(WRITERS, get=False, form=True, hidden_from=OUTSIDER),
    ),
    r(
        PART + "ajouter/",
        deliverables.part_add,
        "part_add",
        Access(WRITERS, form=True, hidden_from=OUTSIDER),
    ),
    r(
        PART + "<int:item_pk>/",
        deliverables.part_edit,
        "part_edit",
        Access(WRITERS, form=True, hidden_from=OUTSIDER),
    ),
    r(
        PART + "<int:item_pk>/supprimer/",
        deliverables.part_delete,
        "part_delete",
        Access(WRITERS, get=False, form=True, hidden_from=OUTSIDER),
    ),
    r(
        DELIVERABLE + "roles/",
        deliverables.roles,
        "roles",
        Access(WRITERS, form=True, hidden_from=OUTSIDER),
    ),
    r(
        DELIVERABLE + "soumettre/",
        deliverables.submit,
        "submit",
        Access(WRITERS, get=False, form=True, hidden_from=OUTSIDER),
    ),
]
