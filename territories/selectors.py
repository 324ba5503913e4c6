"""Reads of the territories that other pages compose (« Mon espace » and its « À faire »)."""

from django.db import connection
from django.db.models import Count, Min, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core import french
from core.french import Noun
from core.todo import TodoItem, TodoList

from .models import Invitation, InvitationStatus, TeamMember
from .services import open_invitations_for


def team_roles_of(user) -> list[TeamMember]:
    """The person's place in each territory's team, territories by name."""
    return list(TeamMember.objects.filter(user=user).select_related("territory").order_by("territory__name"))


def pending_invitations_by_territory(territory_ids) -> list[dict]:
    """For each territory, its invitations still waiting for an answer (expired ones included, as on the team
    page, where they are renewed or cancelled), the oldest sent first. One query."""
    return list(
        Invitation.objects.filter(territory_id__in=territory_ids, status=InvitationStatus.PENDING)
        .order_by()
        .values("territory_id", "territory__name", "territory__article")
        .annotate(
            n=Count("pk"),
            expired=Count("pk", filter=Q(expires_at__lte=timezone.now())),
            since=Min("created_at"),
        )
        .order_by("since", "territory_id")
    )


# The territory's (%(territory)s) team counted by role, and its invitations waiting for an answer that have
# not expired (the row whose role is NULL): one statement for the dashboard.
_TEAM_FIGURES_SQL = """
SELECT role, COUNT(*) FROM territories_teammember WHERE territory_id = %(territory)s GROUP BY role
UNION ALL
SELECT NULL, COUNT(*) FROM territories_invitation
    WHERE territory_id = %(territory)s AND status = %(pending)s AND expires_at > %(now)s
"""


def team_figures(territory) -> tuple[dict[str, int], int]:
    """The number of team members per role (roles held only) and of pending invitations, in one statement."""
    params = {"territory": territory.pk, "pending": InvitationStatus.PENDING.value, "now": timezone.now()}
    with connection.cursor() as cursor:
        cursor.execute(_TEAM_FIGURES_SQL, params)
        rows = cursor.fetchall()
    by_role = {role: count for role, count in rows if role is not None}
    pending = next(count for role, count in rows if role is None)
    return by_role, pending


def todo_for(user, *, team_roles=()) -> list[TodoList]:
    """The invitations to join a territory's team that wait for the person; for the territories' managers,
    the invitations they sent that wait for an answer. `team_roles` is `team_roles_of(user)`."""
    lists = []
    mine = list(open_invitations_for(user))
    if mine:
        lists.append(
            TodoList(
                key="invitations",
                title=_("Invitations"),
                empty=_("Aucune invitation ne vous attend."),
                items=[
                    TodoItem(
                        label=_("Rejoindre l'équipe %(of_territory)s (%(role)s)")
                        % {
                            "of_territory": french.of(invitation.territory),
                            "role": invitation.get_role_display(),
                        },
                        url=reverse("territories:invitation", args=[invitation.token]),
                        since=invitation.created_at,
                        age=_("reçue il y a %(duration)s"),
                        detail=invitation.invited_by.get_full_name() if invitation.invited_by else "",
                    )
                    for invitation in mine
                ],
                count=len(mine),
                order=30,
            )
        )
    managed = [role.territory_id for role in team_roles if role.is_manager]
    if managed:
        rows = pending_invitations_by_territory(managed)
        lists.append(
            TodoList(
                key="territories.invitations",
                title=_("Invitations envoyées sans réponse"),
                empty=_("Toutes les invitations envoyées à vos équipes ont eu leur réponse."),
                items=[_sent_invitations_item(row) for row in rows],
                count=sum(row["n"] for row in rows),
                order=50,
            )
        )
    return lists


def _sent_invitations_item(row) -> TodoItem:
    detail = ngettext(
        "%(n)s invitation attend une réponse", "%(n)s invitations attendent une réponse", row["n"]
    ) % {"n": row["n"]}
    if row["expired"]:
        expired = ngettext("%(n)s a expiré", "%(n)s ont expiré", row["expired"]) % {"n": row["expired"]}
        detail = f"{detail} — {expired}"
    return TodoItem(
        label=_("L'équipe %(of_territory)s")
        % {"of_territory": french.of(Noun(row["territory__name"], row["territory__article"]))},
        url=reverse("territories:team", args=[row["territory_id"]]) + "#invitations",
        since=row["since"],
        age=_("la plus ancienne envoyée il y a %(duration)s"),
        detail=detail,
    )
