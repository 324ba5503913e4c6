from core.access import Access, routes

from .views import questions

# The admins, and the facilitators given the right (the test world grants it to its facilitator).
QUESTION_EDITORS = frozenset({"facilitator", "admin"})


r = routes("projects")


urlpatterns = [
    r("questions/", questions.question_sets, "question_sets", Access(QUESTION_EDITORS)),
    r(
        "questions/<str:kind>/nouvelle-version/",
        questions.question_set_new,
        "question_set_new",
        Access(QUESTION_EDITORS, get=False, form=True),
    ),
    r(
        "questions/versions/<int:pk>/",
        questions.question_set_detail,
        "question_set_detail",
        Access(QUESTION_EDITORS),
    ),
    r(
        "questions/versions/<int:pk>/modifier/",
        questions.question_set_edit,
        "question_set_edit",
        Access(QUESTION_EDITORS, form=True),
    ),
    r(
        "questions/versions/<int:pk>/publier/",
        questions.question_set_publish,
        "question_set_publish",
        Access(QUESTION_EDITORS, get=False, form=True),
    ),
]
