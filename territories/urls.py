from core.access import ADMINS, EVERYONE, SIGNED_IN, Access, route

from .views import assessments, profile, team

app_name = "territories"

# In the test world, the territory's team is the agent (who manages it), the DGS and the élu; the facilitator
# is assigned to it; the outsider manages another territory.
TEAM = frozenset({"agent", "dgs", "elu"})
CONTRIBUTORS = TEAM | {"facilitator", "admin"}
MANAGERS = frozenset({"agent", "admin"})


def _territory(world):
    return {"pk": world.territory.pk}


def _member(world):
    return {"pk": world.territory.pk, "member_pk": world.dgs_member.pk}


def _invitation(world):
    return {"pk": world.territory.pk, "invitation_pk": world.invitation.pk}


def _milestone(world):
    return {"pk": world.territory.pk, "milestone_pk": world.milestone.pk}


def _recommendation(world):
    return {"pk": world.territory.pk, "recommendation_pk": world.recommendation.pk}


def _assessment(world):
    return {"pk": world.territory.pk, "assessment_pk": world.assessment.pk}


def _invitation_token(world):
    return {"token": world.invitation.token}


def r(route_str, view, name, access):
    return route(route_str, view, name=name, namespace=app_name, access=access)


urlpatterns = [
    r("", profile.territory_list, "list", Access(EVERYONE)),
    r("nouveau/", profile.territory_create, "create", Access(ADMINS, form=True)),
    r("referentiel/", profile.reference_search, "reference_search", Access(ADMINS)),
    r("<int:pk>/", profile.territory_detail, "detail", Access(EVERYONE, kwargs=_territory)),
    r("<int:pk>/logo/", profile.logo, "logo", Access(EVERYONE, kwargs=_territory)),
    r("<int:pk>/tableau-de-bord/", profile.dashboard, "dashboard", Access(CONTRIBUTORS, kwargs=_territory)),
    r("<int:pk>/modifier/", profile.territory_edit, "edit", Access(MANAGERS, kwargs=_territory, form=True)),
    r("<int:pk>/pilote/", profile.territory_pilot, "pilot", Access(ADMINS, kwargs=_territory, form=True)),
    r(
        "<int:pk>/trajectoire/ajouter/",
        profile.milestone_add,
        "milestone_add",
        Access(CONTRIBUTORS, kwargs=_territory, form=True),
    ),
    r(
        "<int:pk>/trajectoire/<int:milestone_pk>/",
        profile.milestone_edit,
        "milestone_edit",
        Access(CONTRIBUTORS, kwargs=_milestone, form=True),
    ),
    r(
        "<int:pk>/trajectoire/<int:milestone_pk>/supprimer/",
        profile.milestone_delete,
        "milestone_delete",
        Access(CONTRIBUTORS, kwargs=_milestone, form=True),
    ),
    r(
        "<int:pk>/diagnostic/",
        profile.diagnostic_edit,
        "diagnostic_edit",
        Access(CONTRIBUTORS, kwargs=_territory, form=True),
    ),
    r(
        "<int:pk>/diagnostic/recommandations/ajouter/",
        profile.recommendation_add,
        "recommendation_add",
        Access(CONTRIBUTORS, kwargs=_territory, form=True),
    ),
    r(
        "<int:pk>/diagnostic/recommandations/<int:recommendation_pk>/",
        profile.recommendation_edit,
        "recommendation_edit",
        Access(CONTRIBUTORS, kwargs=_recommendation, form=True),
    ),
    r("<int:pk>/equipe/", team.team, "team", Access(CONTRIBUTORS, kwargs=_territory)),
    r(
        "<int:pk>/equipe/inviter/",
        team.invite,
        "invite",
        Access(MANAGERS, kwargs=_territory, get=False, form=True),
    ),
    r(
        "<int:pk>/equipe/<int:member_pk>/",
        team.member_change,
        "member_change",
        Access(MANAGERS, kwargs=_member, get=False, form=True),
    ),
    r(
        "<int:pk>/equipe/<int:member_pk>/retirer/",
        team.member_remove,
        "member_remove",
        Access(MANAGERS, kwargs=_member, get=False, form=True),
    ),
    r(
        "<int:pk>/invitations/<int:invitation_pk>/annuler/",
        team.invitation_revoke,
        "invitation_revoke",
        Access(MANAGERS, kwargs=_invitation, get=False, form=True),
    ),
    r(
        "invitation/<str:token>/",
        team.invitation_answer,
        "invitation",
        Access(
            SIGNED_IN,
            kwargs=_invitation_token,
            form=True,
            note="La personne invitée y répond ; les autres comptes lisent qu'elle ne leur est pas adressée.",
        ),
    ),
    r(
        "<int:pk>/auto-evaluations/",
        assessments.assessment_list,
        "assessments",
        Access(CONTRIBUTORS, kwargs=_territory),
    ),
    r(
        "<int:pk>/auto-evaluations/nouvelle/",
        assessments.assessment_new,
        "assessment_new",
        Access(CONTRIBUTORS, kwargs=_territory, form=True),
    ),
    r(
        "<int:pk>/auto-evaluations/<int:assessment_pk>/",
        assessments.assessment_detail,
        "assessment_detail",
        Access(CONTRIBUTORS, kwargs=_assessment),
    ),
]
