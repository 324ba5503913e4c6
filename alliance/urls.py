from core.access import ADMINS, EVERYONE, SIGNED_IN, Access, route

from . import views

app_name = "alliance"


def _public_organisation(world):
    return {"pk": world.public_organisation.pk}


def _agent_membership(world):
    return {"pk": world.agent_membership.pk}


def _candidate_membership(world):
    return {"pk": world.candidate_membership.pk}


# The organisation's referent (the agent in the test world) and the admins.
ORGANISATION_EDITORS = frozenset({"agent", "admin"})


def r(route_str, view, name, access):
    return route(route_str, view, name=name, namespace=app_name, access=access)


urlpatterns = [
    r("charte/", views.charter, "charter", Access(EVERYONE)),
    r("charte/signer/", views.charter_resign, "charter_resign", Access(SIGNED_IN, form=True)),
    r("annuaire/", views.directory, "directory", Access(EVERYONE)),
    r(
        "organisations/<int:pk>/",
        views.organisation,
        "organisation",
        Access(EVERYONE, kwargs=_public_organisation),
    ),
    r(
        "organisations/<int:pk>/logo/",
        views.organisation_logo,
        "organisation_logo",
        Access(EVERYONE, kwargs=_public_organisation),
    ),
    r(
        "organisations/<int:pk>/modifier/",
        views.organisation_edit,
        "organisation_edit",
        Access(ORGANISATION_EDITORS, kwargs=_public_organisation, form=True),
    ),
    r(
        "organisations/<int:pk>/personnes/",
        views.organisation_add_person,
        "organisation_add_person",
        Access(ORGANISATION_EDITORS, kwargs=_public_organisation, get=False, form=True),
    ),
    r("adherer/", views.apply, "apply", Access(SIGNED_IN, form=True)),
    r(
        "adhesions/<int:pk>/",
        views.membership,
        "membership",
        Access(
            frozenset({"agent", "admin"}),
            kwargs=_agent_membership,
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
            kwargs=_agent_membership,
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
        Access(ADMINS, kwargs=_candidate_membership, get=False, form=True),
    ),
    r("admin/charte/", views.charter_manage, "charter_manage", Access(ADMINS, form=True)),
    r("admin/journal/", views.audit_log, "audit_log", Access(ADMINS)),
]
