from core.access import ADMINS, EVERYONE, SIGNED_IN, Access, routes

from .views import assessments, profile, team

app_name = "territories"

# In the test world, the territory's team is the agent (who manages it), the DGS and the élu; the facilitator
# is assigned to it; the outsider manages another territory.
TEAM = frozenset({"agent", "dgs", "elu"})
CONTRIBUTORS = TEAM | {"facilitator", "admin"}
MANAGERS = frozenset({"agent", "admin"})


r = routes(app_name)


urlpatterns = [
    r("", profile.territory_list, "list", Access(EVERYONE)),
    r("nouveau/", profile.territory_create, "create", Access(ADMINS, form=True)),
    r("referentiel/", profile.reference_search, "reference_search", Access(ADMINS)),
    r("<int:pk>/", profile.territory_detail, "detail", Access(EVERYONE)),
    r("<int:pk>/logo/", profile.logo, "logo", Access(EVERYONE)),
    r("<int:pk>/tableau-de-bord/", profile.dashboard, "dashboard", Access(CONTRIBUTORS)),
    r("<int:pk>/modifier/", profile.territory_edit, "edit", Access(MANAGERS, form=True)),
    r("<int:pk>/pilote/", profile.territory_pilot, "pilot", Access(ADMINS, form=True)),
    r(
        "<int:pk>/trajectoire/ajouter/",
        profile.milestone_add,
        "milestone_add",
        Access(CONTRIBUTORS, form=True),
    ),
    r(
        "<int:pk>/trajectoire/<int:milestone_pk>/",
        profile.milestone_edit,
        "milestone_edit",
        Access(CONTRIBUTORS, form=True),
    ),
    r(
        "<int:pk>/trajectoire/<int:milestone_pk>/supprimer/",
        profile.milestone_delete,
        "milestone_delete",
        Access(CONTRIBUTORS, form=True),
    ),
    r(
        "<int:pk>/diagnostic/",
        profile.diagnostic_edit,
        "diagnostic_edit",
        Access(CONTRIBUTORS, form=True),
    ),
    r(
        "<int:pk>/diagnostic/recommandations/ajouter/",
        profile.recommendation_add,
        "recommendation_add",
        Access(CONTRIBUTORS, form=True),
    ),
    r(
        "<int:pk>/diagnostic/recommandations/<int:recommendation_pk>/",
        profile.recommendation_edit,
        "recommendation_edit",
        Access(CONTRIBUTORS, form=True),
    ),
    r("<int:pk>/equipe/", team.team, "team", Access(CONTRIBUTORS)),
    r(
        "<int:pk>/equipe/inviter/",
        team.invite,
        "invite",
        Access(MANAGERS, get=False, form=True),
    ),
    r(
        "<int:pk>/equipe/<int:member_pk>/",
        team.member_change,
        "member_change",
        Access(MANAGERS, get=False, form=True),
    ),
    r(
        "<int:pk>/equipe/<int:member_pk>/retirer/",
        team.member_remove,
        "member_remove",
        Access(MANAGERS, get=False, form=True),
    ),
    r(
        "<int:pk>/invitations/<int:invitation_pk>/annuler/",
        team.invitation_revoke,
        "invitation_revoke",
        Access(MANAGERS, get=False, form=True),
    ),
    r(
        "invitation/<str:token>/",
        team.invitation_answer,
        "invitation",
        Access(
            SIGNED_IN,
            form=True,
            note="La personne invitée y répond ; les autres comptes lisent qu'elle ne leur est pas adressée.",
        ),
    ),
    r(
        "<int:pk>/auto-evaluations/",
        assessments.assessment_list,
        "assessments",
        Access(CONTRIBUTORS),
    ),
    r(
        "<int:pk>/auto-evaluations/nouvelle/",
        assessments.assessment_new,
        "assessment_new",
        Access(CONTRIBUTORS, form=True),
    ),
    r(
        "<int:pk>/auto-evaluations/<int:assessment_pk>/",
        assessments.assessment_detail,
        "assessment_detail",
        Access(CONTRIBUTORS),
    ),
]
