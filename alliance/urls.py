from core.access import ADMINS, EVERYONE, SIGNED_IN, Access, routes

from . import views

app_name = "alliance"


# The organisation's referent (the agent in the test world) and the admins.
ORGANISATION_EDITORS = frozenset({"agent", "admin"})


r = routes(app_name)


urlpatterns = [
    r("charte/", views.charter, "charter", Access(EVERYONE)),
    r("charte/signer/", views.charter_resign, "charter_resign", Access(SIGNED_IN, form=True)),
    r("annuaire/", views.directory, "directory", Access(EVERYONE)),
    r(
        "organisations/<int:pk>/",
        views.organisation,
        "organisation",
        Access(EVERYONE),
    ),
    r(
        "organisations/<int:pk>/logo/",
        views.organisation_logo,
        "organisation_logo",
        Access(EVERYONE),
    ),
    r(
        "organisations/<int:pk>/modifier/",
        views.organisation_edit,
        "organisation_edit",
        Access(ORGANISATION_EDITORS, form=True),
    ),
    r(
        "organisations/<int:pk>/personnes/",
        views.organisation_add_person,
        "organisation_add_person",
        Access(ORGANISATION_EDITORS, get=False, form=True),
    ),
    r("adherer/", views.apply, "apply", Access(SIGNED_IN, form=True)),
    r(
        "adhesions/<int:pk>/",
        views.membership,
        "membership",
        Access(
            frozenset({"agent", "admin"}),
            note="Le ou la signataire, les référent·es de l'organisation, les admins ; 404 sinon.",
            hidden_from=SIGNED_IN - {"agent", "admin"},
        ),
    ),
    r(
        "adhesions/<int:pk>/retirer/",
        views.membership_withdraw,
        "membership_withdraw",
        Access(
            frozenset({"agent", "admin"}),
            get=False,
            form=True,
            hidden_from=SIGNED_IN - {"agent", "admin"},
        ),
    ),
    r("admin/candidatures/", views.review_queue, "review_queue", Access(ADMINS)),
    r(
        "admin/adhesions/<int:pk>/decision/",
        views.membership_decide,
        "membership_decide",
        Access(ADMINS, get=False, form=True),
    ),
    r("admin/charte/", views.charter_manage, "charter_manage", Access(ADMINS, form=True)),
    r("admin/journal/", views.audit_log, "audit_log", Access(ADMINS)),
]
