from core.access import Access, routes

from . import views

app_name = "trainings"

# A territory's trainings and effects are written by its contributors: in the test world its team (the
# agent, the DGS, the élu), its facilitator and the admins. The outsider manages another territory: the pilot
# is published, so its private pages refuse them (403) rather than hide.
CONTRIBUTORS = frozenset({"agent", "dgs", "elu", "facilitator", "admin"})


r = routes(app_name)


urlpatterns = [
    r("territoire/<int:pk>/", views.index, "index", Access(CONTRIBUTORS)),
    r(
        "territoire/<int:pk>/cycles/nouveau/",
        views.cycle_create,
        "cycle_create",
        Access(CONTRIBUTORS, form=True),
    ),
    r(
        "territoire/<int:pk>/sensibilisation/nouvelle/",
        views.awareness_create,
        "awareness_create",
        Access(CONTRIBUTORS, form=True),
    ),
    r("territoire/<int:pk>/effets/", views.effects, "effects", Access(CONTRIBUTORS)),
    r(
        "territoire/<int:pk>/effets/ajouter/",
        views.effect_add,
        "effect_add",
        Access(CONTRIBUTORS, form=True),
    ),
    r("cycles/<int:pk>/", views.cycle_detail, "cycle_detail", Access(CONTRIBUTORS)),
    r(
        "cycles/<int:pk>/modifier/",
        views.cycle_edit,
        "cycle_edit",
        Access(CONTRIBUTORS, form=True),
    ),
    r(
        "cycles/<int:pk>/supprimer/",
        views.cycle_delete,
        "cycle_delete",
        Access(CONTRIBUTORS, form=True),
    ),
    r(
        "cycles/<int:pk>/seances/ajouter/",
        views.session_add,
        "session_add",
        Access(CONTRIBUTORS, form=True),
    ),
    r(
        "cycles/<int:pk>/seances/<int:session_pk>/presences/",
        views.attendance,
        "attendance",
        Access(CONTRIBUTORS, form=True),
    ),
    r(
        "cycles/<int:pk>/seances/<int:session_pk>/agenda.ics",
        views.session_ics,
        "session_ics",
        Access(CONTRIBUTORS, note="Le fichier iCalendar de la séance."),
    ),
    r(
        "cycles/<int:pk>/seances/<int:session_pk>/supprimer/",
        views.session_remove,
        "session_remove",
        Access(CONTRIBUTORS, get=False, form=True),
    ),
    r(
        "cycles/<int:pk>/participants/ajouter/",
        views.participant_add,
        "participant_add",
        Access(CONTRIBUTORS, form=True),
    ),
    r(
        "cycles/<int:pk>/participants/liste/",
        views.participants_import,
        "participants_import",
        Access(CONTRIBUTORS, form=True),
    ),
    r(
        "cycles/<int:pk>/participants/<int:participant_pk>/desinscrire/",
        views.participant_remove,
        "participant_remove",
        Access(CONTRIBUTORS, get=False, form=True),
    ),
    r(
        "sensibilisation/<int:pk>/modifier/",
        views.awareness_edit,
        "awareness_edit",
        Access(CONTRIBUTORS, form=True),
    ),
    r(
        "sensibilisation/<int:pk>/supprimer/",
        views.awareness_delete,
        "awareness_delete",
        Access(CONTRIBUTORS, form=True),
    ),
    r(
        "effets/<int:pk>/modifier/",
        views.effect_edit,
        "effect_edit",
        Access(CONTRIBUTORS, form=True),
    ),
    r(
        "effets/<int:pk>/supprimer/",
        views.effect_delete,
        "effect_delete",
        Access(CONTRIBUTORS, form=True),
    ),
]
