from core.access import Access, route

from . import views

app_name = "trainings"

# A territory's trainings and effects are written by its contributors: in the test world its team (the
# agent, the DGS, the élu), its facilitator and the admins. The outsider manages another territory: the pilot
# is published, so its private pages refuse them (403) rather than hide.
CONTRIBUTORS = frozenset({"agent", "dgs", "elu", "facilitator", "admin"})


def _territory(world):
    return {"pk": world.territory.pk}


def _cycle(world):
    return {"pk": world.training_cycle.pk}


def _session(world):
    return {"pk": world.training_cycle.pk, "session_pk": world.training_session.pk}


def _participant(world):
    return {"pk": world.training_cycle.pk, "participant_pk": world.training_participant.pk}


def _awareness(world):
    return {"pk": world.awareness_event.pk}


def _effect(world):
    return {"pk": world.effect.pk}


def r(route_str, view, name, access):
    return route(route_str, view, name=name, namespace=app_name, access=access)


urlpatterns = [
    r("territoire/<int:pk>/", views.index, "index", Access(CONTRIBUTORS, kwargs=_territory)),
    r(
        "territoire/<int:pk>/cycles/nouveau/",
        views.cycle_create,
        "cycle_create",
        Access(CONTRIBUTORS, kwargs=_territory, form=True),
    ),
    r(
        "territoire/<int:pk>/sensibilisation/nouvelle/",
        views.awareness_create,
        "awareness_create",
        Access(CONTRIBUTORS, kwargs=_territory, form=True),
    ),
    r("territoire/<int:pk>/effets/", views.effects, "effects", Access(CONTRIBUTORS, kwargs=_territory)),
    r(
        "territoire/<int:pk>/effets/ajouter/",
        views.effect_add,
        "effect_add",
        Access(CONTRIBUTORS, kwargs=_territory, form=True),
    ),
    r("cycles/<int:pk>/", views.cycle_detail, "cycle_detail", Access(CONTRIBUTORS, kwargs=_cycle)),
    r(
        "cycles/<int:pk>/modifier/",
        views.cycle_edit,
        "cycle_edit",
        Access(CONTRIBUTORS, kwargs=_cycle, form=True),
    ),
    r(
        "cycles/<int:pk>/supprimer/",
        views.cycle_delete,
        "cycle_delete",
        Access(CONTRIBUTORS, kwargs=_cycle, form=True),
    ),
    r(
        "cycles/<int:pk>/seances/ajouter/",
        views.session_add,
        "session_add",
        Access(CONTRIBUTORS, kwargs=_cycle, form=True),
    ),
    r(
        "cycles/<int:pk>/seances/<int:session_pk>/presences/",
        views.attendance,
        "attendance",
        Access(CONTRIBUTORS, kwargs=_session, form=True),
    ),
    r(
        "cycles/<int:pk>/seances/<int:session_pk>/agenda.ics",
        views.session_ics,
        "session_ics",
        Access(CONTRIBUTORS, kwargs=_session, note="Le fichier iCalendar de la séance."),
    ),
    r(
        "cycles/<int:pk>/seances/<int:session_pk>/supprimer/",
        views.session_remove,
        "session_remove",
        Access(CONTRIBUTORS, kwargs=_session, get=False, form=True),
    ),
    r(
        "cycles/<int:pk>/participants/ajouter/",
        views.participant_add,
        "participant_add",
        Access(CONTRIBUTORS, kwargs=_cycle, form=True),
    ),
    r(
        "cycles/<int:pk>/participants/liste/",
        views.participants_import,
        "participants_import",
        Access(CONTRIBUTORS, kwargs=_cycle, form=True),
    ),
    r(
        "cycles/<int:pk>/participants/<int:participant_pk>/desinscrire/",
        views.participant_remove,
        "participant_remove",
        Access(CONTRIBUTORS, kwargs=_participant, get=False, form=True),
    ),
    r(
        "sensibilisation/<int:pk>/modifier/",
        views.awareness_edit,
        "awareness_edit",
        Access(CONTRIBUTORS, kwargs=_awareness, form=True),
    ),
    r(
        "sensibilisation/<int:pk>/supprimer/",
        views.awareness_delete,
        "awareness_delete",
        Access(CONTRIBUTORS, kwargs=_awareness, form=True),
    ),
    r(
        "effets/<int:pk>/modifier/",
        views.effect_edit,
        "effect_edit",
        Access(CONTRIBUTORS, kwargs=_effect, form=True),
    ),
    r(
        "effets/<int:pk>/supprimer/",
        views.effect_delete,
        "effect_delete",
        Access(CONTRIBUTORS, kwargs=_effect, form=True),
    ),
]
