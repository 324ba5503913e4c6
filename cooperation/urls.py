from core.access import SIGNED_IN, Access, routes

from . import views

app_name = "cooperation"

# The test world (tests/worlds/cooperation.py): the agents' group is private, the agent is its member and the
# facilitator animates it; the DGS group is listed, with the dgs as member and the facilitator as animator;
# a croisement joins them in the pilot territory, whose élu answers the proposals addressed to the élus.
# The outsider is in no group; the admin neither: a group's inside is for its members only.
AGENTS = frozenset({"agent", "facilitator"})
ANIMATORS = frozenset({"facilitator"})
NOT_AGENTS = SIGNED_IN - AGENTS
CROSSING = frozenset({"agent", "dgs", "facilitator"})
NOT_CROSSING = SIGNED_IN - CROSSING
TERRITORY_TEAM = frozenset({"agent", "dgs", "elu", "facilitator", "admin"})
# Admins, platform facilitators and territory managers (the agent, and the outsider for his own territory).
CREATORS = frozenset({"agent", "outsider", "facilitator", "admin"})


r = routes(app_name)


urlpatterns = [
    r("", views.group_list, "groups", Access(SIGNED_IN)),
    r("groupes/nouveau/", views.group_create, "group_create", Access(CREATORS, form=True)),
    r(
        "groupes/<int:pk>/",
        views.group_detail,
        "group_detail",
        Access(
            AGENTS,
            hidden_from=NOT_AGENTS,
            note="Un groupe privé n'existe que pour ses membres.",
        ),
    ),
    r(
        "groupes/<int:pk>/modifier/",
        views.group_edit,
        "group_edit",
        Access(ANIMATORS, form=True, hidden_from=NOT_AGENTS),
    ),
    r(
        "groupes/<int:pk>/membres/",
        views.members,
        "members",
        Access(AGENTS, hidden_from=NOT_AGENTS),
    ),
    r(
        "groupes/<int:pk>/membres/inviter/",
        views.invite,
        "invite",
        Access(ANIMATORS, get=False, form=True, hidden_from=NOT_AGENTS),
    ),
    r(
        "groupes/<int:pk>/suivre/",
        views.follow,
        "follow",
        Access(AGENTS, get=False, form=True, hidden_from=NOT_AGENTS),
    ),
    r(
        "groupes/<int:pk>/quitter/",
        views.leave,
        "leave",
        Access(
            AGENTS,
            form=True,
            hidden_from=NOT_AGENTS,
            note="Page de confirmation, puis POST ; le·la dernier·e animateur·ice ne peut pas partir.",
        ),
    ),
    r(
        "groupes/<int:pk>/rejoindre/",
        views.join,
        "join",
        Access(
            SIGNED_IN,
            get=False,
            form=True,
            note="Un groupe listé : toute personne connectée peut demander à le rejoindre.",
        ),
    ),
    r(
        "groupes/<int:pk>/demandes/<int:request_pk>/",
        views.request_decide,
        "request_decide",
        Access(ANIMATORS, get=False, form=True),
    ),
    r(
        "groupes/<int:pk>/invitations/<int:invitation_pk>/",
        views.invitation_answer,
        "invitation_answer",
        Access(
            frozenset({"elu"}),
            get=False,
            form=True,
            hidden_from=SIGNED_IN - {"elu"},
            note="Seule la personne invitée y répond.",
        ),
    ),
    r(
        "groupes/<int:pk>/discussions/nouvelle/",
        views.thread_create,
        "thread_create",
        Access(AGENTS, form=True, hidden_from=NOT_AGENTS),
    ),
    r(
        "groupes/<int:pk>/discussions/<int:thread_pk>/",
        views.thread_detail,
        "thread_detail",
        Access(AGENTS, form=True, hidden_from=NOT_AGENTS),
    ),
    r(
        "groupes/<int:pk>/pieces-jointes/<int:attachment_pk>/",
        views.attachment,
        "attachment",
        Access(
            AGENTS, hidden_from=NOT_AGENTS, note="Servie aux seuls membres du groupe."
        ),
    ),
    r(
        "groupes/<int:pk>/reunions/",
        views.meetings,
        "meetings",
        Access(AGENTS, hidden_from=NOT_AGENTS),
    ),
    r(
        "groupes/<int:pk>/reunions/nouvelle/",
        views.meeting_create,
        "meeting_create",
        Access(AGENTS, form=True, hidden_from=NOT_AGENTS),
    ),
    r(
        "groupes/<int:pk>/reunions/<int:meeting_pk>/",
        views.meeting_edit,
        "meeting_edit",
        Access(AGENTS, form=True, hidden_from=NOT_AGENTS),
    ),
    r(
        "groupes/<int:pk>/reunions/<int:meeting_pk>/annuler/",
        views.meeting_cancel,
        "meeting_cancel",
        Access(AGENTS, get=False, form=True, hidden_from=NOT_AGENTS),
    ),
    r(
        "groupes/<int:pk>/reunions/<int:meeting_pk>/agenda.ics",
        views.meeting_ics,
        "meeting_ics",
        Access(AGENTS, hidden_from=NOT_AGENTS, note="Le fichier iCalendar de la réunion."),
    ),
    r(
        "groupes/<int:pk>/travaux/",
        views.work,
        "work",
        Access(AGENTS, hidden_from=NOT_AGENTS),
    ),
    r(
        "groupes/<int:pk>/travaux/nouveau/",
        views.contribution_create,
        "contribution_create",
        Access(AGENTS, form=True, hidden_from=NOT_AGENTS),
    ),
    r(
        "groupes/<int:pk>/travaux/<int:contribution_pk>/",
        views.contribution_edit,
        "contribution_edit",
        Access(AGENTS, form=True, hidden_from=NOT_AGENTS),
    ),
    r(
        "groupes/<int:pk>/travaux/<int:contribution_pk>/valider/",
        views.contribution_agree,
        "contribution_agree",
        Access(AGENTS, get=False, form=True, hidden_from=NOT_AGENTS),
    ),
    r(
        "groupes/<int:pk>/croisements/nouveau/",
        views.crossing_create,
        "crossing_create",
        Access(ANIMATORS, form=True, hidden_from=NOT_AGENTS),
    ),
    r(
        "croisements/<int:pk>/",
        views.crossing_detail,
        "crossing_detail",
        Access(CROSSING, hidden_from=NOT_CROSSING),
    ),
    r(
        "croisements/<int:pk>/partager/",
        views.crossing_share,
        "crossing_share",
        Access(CROSSING, get=False, form=True, hidden_from=NOT_CROSSING),
    ),
    r(
        "croisements/<int:pk>/propositions/nouvelle/",
        views.proposal_create,
        "proposal_create",
        Access(CROSSING, form=True, hidden_from=NOT_CROSSING),
    ),
    r(
        "propositions/<int:pk>/",
        views.proposal_detail,
        "proposal_detail",
        Access(
            CROSSING | {"elu"},
            hidden_from=frozenset({"outsider", "admin"}),
            note="Les deux groupes ; les élu·es du territoire une fois la proposition adressée.",
        ),
    ),
    r(
        "propositions/<int:pk>/accord/",
        views.proposal_agree,
        "proposal_agree",
        Access(
            CROSSING, get=False, form=True, hidden_from=frozenset({"outsider", "admin"})
        ),
    ),
    r(
        "propositions/<int:pk>/adresser/",
        views.proposal_address,
        "proposal_address",
        Access(
            CROSSING, get=False, form=True, hidden_from=frozenset({"outsider", "admin"})
        ),
    ),
    r(
        "propositions/<int:pk>/repondre/",
        views.proposal_answer,
        "proposal_answer",
        Access(
            frozenset({"elu"}),
            form=True,
            hidden_from=frozenset({"outsider", "admin"}),
            note="Les élu·es du territoire interpellé, une fois par proposition.",
        ),
    ),
    r("interpellations/", views.interpellations, "interpellations", Access(SIGNED_IN)),
    r(
        "territoires/<int:pk>/propositions/",
        views.territory_dashboard,
        "territory_dashboard",
        Access(TERRITORY_TEAM),
    ),
]
