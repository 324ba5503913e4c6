from core.access import Access, route

from .views import questions

# The admins, and the facilitators given the right (the test world grants it to its facilitator).
QUESTION_EDITORS = frozenset({"facilitator", "admin"})


def _question_set(world):
    return {"pk": world.question_set_draft.pk}


def _kind(world):
    return {"kind": "intention"}


def r(route_str, view, name, access):
    return route(route_str, view, name=name, namespace="projects", access=access)


urlpatterns = [
    r("questions/", questions.question_sets, "question_sets", Access(QUESTION_EDITORS)),
    r(
        "questions/<str:kind>/nouvelle-version/",
        questions.question_set_new,
        "question_set_new",
        Access(QUESTION_EDITORS, kwargs=_kind, get=False, form=True),
    ),
    r(
        "questions/versions/<int:pk>/",
        questions.question_set_detail,
        "question_set_detail",
        Access(QUESTION_EDITORS, kwargs=_question_set),
    ),
    r(
        "questions/versions/<int:pk>/modifier/",
        questions.question_set_edit,
        "question_set_edit",
        Access(QUESTION_EDITORS, kwargs=_question_set, form=True),
    ),
    r(
        "questions/versions/<int:pk>/publier/",
        questions.question_set_publish,
        "question_set_publish",
        Access(QUESTION_EDITORS, kwargs=_question_set, get=False, form=True),
    ),
]
