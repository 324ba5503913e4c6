"""Who may see or change what in a territory. Every later permission on a territory's projects and spaces
rests on its team roles, read here."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.http import Http404
from django.utils.dateparse import parse_datetime

from .models import Invitation, TeamMember, Territory


@dataclass(frozen=True)
class TerritoryRights:
    member: TeamMember | None
    is_facilitator: bool
    is_admin: bool

    @property
    def can_view_private(self) -> bool:
        """The team, its facilitators and the admins see everything; others only the public profile."""
        return self.member is not None or self.is_facilitator or self.is_admin

    @property
    def can_contribute(self) -> bool:
        """Trajectory, diagnostic, recommendations and assessments: written by the team and facilitators."""
        return self.can_view_private

    @property
    def can_start_projects(self) -> bool:
        """Projects are started by the territory's team, or by an admin for it; its facilitators review."""
        return self.member is not None or self.is_admin

    @property
    def can_manage(self) -> bool:
        """Profile, team and invitations: the territory's managers and the admins."""
        return self.is_admin or (self.member is not None and self.member.is_manager)

    @property
    def can_pilot(self) -> bool:
        """The pilot flag and the publication of the profile: a decision of the alliance's admins."""
        return self.is_admin


def rights_of(user, territory: Territory) -> TerritoryRights:
    if not user.is_authenticated:
        return TerritoryRights(member=None, is_facilitator=False, is_admin=False)
    return TerritoryRights(
        member=TeamMember.objects.filter(territory=territory, user=user).first(),
        is_facilitator=territory.facilitators.filter(pk=user.pk).exists(),
        is_admin=user.is_alliance_admin,
    )


# The person's (%s) row in the territory's team, and whether they follow the territory, as columns of a
# statement reading the territory itself or a row that belongs to one (its id in "territory_id").
_RIGHTS_SQL = {
    "territory": (
        "(SELECT json_build_object('id', id, 'role', role, 'is_manager', is_manager, 'joined_at', joined_at)"
        " FROM territories_teammember t WHERE t.territory_id = territories_territory.id AND t.user_id = %s"
        " LIMIT 1)",
        "EXISTS(SELECT 1 FROM territories_territory_facilitators f"
        " WHERE f.territory_id = territories_territory.id AND f.user_id = %s)",
    ),
    "project": (
        "(SELECT json_build_object('id', id, 'role', role, 'is_manager', is_manager, 'joined_at', joined_at)"
        " FROM territories_teammember t"
        " WHERE t.territory_id = projects_project.territory_id AND t.user_id = %s LIMIT 1)",
        "EXISTS(SELECT 1 FROM territories_territory_facilitators f"
        " WHERE f.territory_id = projects_project.territory_id AND f.user_id = %s)",
    ),
}


def rights_columns(user, *, reading: str = "territory") -> dict:
    """The person's rights on a territory as two columns of the statement that reads the territory
    (`reading="territory"`) or a project of it (`reading="project"`): the same facts as `rights_of`, without
    a query each; read back by `rights_from_columns`. In SQL, since every private page builds them: the ORM's
    subqueries cost more to compose than the database takes to answer them."""
    if not user.is_authenticated:
        return {}
    team, follows = _RIGHTS_SQL[reading]
    return {
        "rights_team_row": RawSQL(team, [user.pk]),  # noqa: S611 - constant SQL, the id bound
        "rights_follows_territory": RawSQL(follows, [user.pk]),  # noqa: S611 - constant SQL, the id bound
    }


def rights_from_columns(user, territory: Territory, row) -> TerritoryRights:
    """The rights read by `rights_columns` on `row` (the territory itself, or the row that named it)."""
    if not user.is_authenticated:
        return TerritoryRights(member=None, is_facilitator=False, is_admin=False)
    team = row.rights_team_row
    member = None
    if team is not None:
        member = TeamMember(
            id=team["id"],
            territory=territory,
            user=user,
            role=team["role"],
            is_manager=team["is_manager"],
            joined_at=parse_datetime(team["joined_at"]),
        )
        member._state.adding = False
        member._state.db = row._state.db
    return TerritoryRights(
        member=member, is_facilitator=row.rights_follows_territory, is_admin=user.is_alliance_admin
    )


def territories_visible_to(user):
    """Published territories for everyone; a person's own and facilitated ones; everything for admins."""
    territories = Territory.objects.all()
    if user.is_authenticated and user.is_alliance_admin:
        return territories
    visible = Q(is_published=True)
    if user.is_authenticated:
        visible |= Q(team__user=user) | Q(facilitators=user)
    return territories.filter(pk__in=Territory.objects.filter(visible).values("pk"))


def get_territory_for_user(user, pk) -> tuple[Territory, TerritoryRights]:
    """The territory and the viewer's rights; a private territory answers 404 to those outside it."""
    territory = (
        Territory.objects.select_related("commune", "epci", "department", "region", "carrier")
        .annotate(**rights_columns(user))
        .filter(pk=pk)[:1]
    )
    territory = territory[0] if territory else None
    if territory is None:
        raise Http404
    rights = rights_from_columns(user, territory, territory)
    if not (territory.is_published or rights.can_view_private):
        raise Http404
    return territory, rights


def get_territory_for_private_view(user, pk) -> tuple[Territory, TerritoryRights]:
    territory, rights = get_territory_for_user(user, pk)
    if not rights.can_view_private:
        # A published territory exists for all to see; its private pages are refused, not hidden.
        raise PermissionDenied
    return territory, rights


def get_territory_for_contributing(user, pk) -> tuple[Territory, TerritoryRights]:
    territory, rights = get_territory_for_private_view(user, pk)
    if not rights.can_contribute:
        raise PermissionDenied
    return territory, rights


def get_territory_for_managing(user, pk) -> tuple[Territory, TerritoryRights]:
    territory, rights = get_territory_for_private_view(user, pk)
    if not rights.can_manage:
        raise PermissionDenied
    return territory, rights


def get_team_member_for_managing(user, territory_pk, member_pk) -> TeamMember:
    territory, _rights = get_territory_for_managing(user, territory_pk)
    member = TeamMember.objects.select_related("user").filter(territory=territory, pk=member_pk).first()
    if member is None:
        raise Http404
    return member


def get_invitation_for_managing(user, territory_pk, invitation_pk) -> Invitation:
    territory, _rights = get_territory_for_managing(user, territory_pk)
    invitation = Invitation.objects.filter(territory=territory, pk=invitation_pk).first()
    if invitation is None:
        raise Http404
    return invitation


def organisation_territories_visible_to(user, organisation):
    """The territories an organisation carries, or that its SIREN designates (a collectivity is its commune or
    its EPCI in the reference data), as far as the user may see them."""
    link = Q(carrier=organisation)
    if organisation.siren:
        link |= Q(epci__siren=organisation.siren) | Q(commune__siren=organisation.siren)
    return territories_visible_to(user).filter(link).order_by("name")


def organisation_page_context(user, organisation) -> dict:
    """What the organisation's page shows of territories (registered in TerritoriesConfig.ready)."""
    return {"territories": list(organisation_territories_visible_to(user, organisation))}


def get_invitation_for_reading(token) -> Invitation:
    """The token is the secret: whoever holds the link may read the invitation; only its addressee answers
    (services.invitation_check)."""
    invitation = (
        Invitation.objects.select_related("territory", "invited_by", "answered_by")
        .filter(token=token)
        .first()
    )
    if invitation is None:
        raise Http404
    return invitation
