from core.access import EVERYONE, SIGNED_IN, Access, routes

from . import views
from .feeds import ResourcesFeed

app_name = "library"

# In the test world (tests/worlds/library.py) the agent writes the resources; the agent and the élu are
# alliance members (with the facilitator and the admin), the DGS and the outsider are not.
MEMBERS = frozenset({"agent", "elu", "facilitator", "admin"})
PUBLISHERS = frozenset({"facilitator", "admin"})
# A draft or a resource under review: its author and the publishers see it; it does not exist for others.
DRAFT_EDITORS = frozenset({"agent"}) | PUBLISHERS
NOT_SHOWN_DRAFTS = SIGNED_IN - DRAFT_EDITORS


r = routes(app_name)


urlpatterns = [
    r("", views.resource_list, "list", Access(EVERYONE)),
    r("flux.atom", ResourcesFeed(), "feed", Access(EVERYONE)),
    r("nouvelle/", views.resource_create, "create", Access(MEMBERS, form=True)),
    r("mes-ressources/", views.mine, "mine", Access(SIGNED_IN)),
    r("<int:pk>/", views.resource_detail, "detail", Access(EVERYONE)),
    r(
        "<int:pk>/pieces-jointes/<int:attachment_pk>/",
        views.attachment,
        "attachment",
        Access(EVERYONE),
    ),
    r(
        "<int:pk>/favori/",
        views.bookmark,
        "bookmark",
        Access(SIGNED_IN, get=False, form=True),
    ),
    r(
        "<int:pk>/modifier/",
        views.resource_edit,
        "edit",
        Access(DRAFT_EDITORS, form=True, hidden_from=NOT_SHOWN_DRAFTS),
    ),
    r(
        "<int:pk>/pieces-jointes/ajouter/",
        views.attachment_add,
        "attachment_add",
        Access(DRAFT_EDITORS, get=False, form=True, hidden_from=NOT_SHOWN_DRAFTS),
    ),
    r(
        "<int:pk>/pieces-jointes/<int:attachment_pk>/retirer/",
        views.attachment_remove,
        "attachment_remove",
        Access(DRAFT_EDITORS, get=False, form=True, hidden_from=NOT_SHOWN_DRAFTS),
    ),
    r(
        "<int:pk>/soumettre/",
        views.resource_submit,
        "submit",
        Access(
            frozenset({"agent"}),
            get=False,
            form=True,
            hidden_from=NOT_SHOWN_DRAFTS,
            note="Les auteur·ices soumettent leur brouillon ; les relecteur·ices le voient, sans plus.",
        ),
    ),
    r(
        "<int:pk>/publier/",
        views.resource_publish,
        "publish",
        Access(
            PUBLISHERS,
            get=False,
            form=True,
            hidden_from=NOT_SHOWN_DRAFTS,
            note="Les admins et les accompagnateur·ices publient ; l'auteur·ice attend leur relecture.",
        ),
    ),
    r(
        "<int:pk>/renvoyer/",
        views.resource_send_back,
        "send_back",
        Access(PUBLISHERS, get=False, form=True, hidden_from=NOT_SHOWN_DRAFTS),
    ),
]
