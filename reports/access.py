"""Who may ask for a territory's synthesis, and read one.

- The full synthesis: whoever sees the territory's private pages — its team (élu·es included), its
  facilitators and the alliance's admins. It holds only what its reader may see: the récits kept to the team
  reach the team only; the text of a peer groups' proposal and of the élus' answer reach the members of the
  two groups and, once it is addressed, the territory's élu·es (what each one reads on the platform).
- The public version (« version publique »): only what the platform publishes, the profile and its
  trajectory. Anyone signed in may ask for it on a published territory; the team offers it to partners.

A document keeps the audience it was built for; a download checks it again against the reader, so the
synthesis one colleague asked for is read by another only when they may see all of it.
"""

from dataclasses import dataclass, field

from django.http import Http404

from cooperation.models import GroupMember, JointProposal, ProposalStatus
from territories.access import TerritoryRights, get_territory_for_user, rights_of
from territories.models import TeamRole, Territory

from .models import Synthesis

ADDRESSED = (ProposalStatus.ADDRESSED, ProposalStatus.ANSWERED)


@dataclass
class Reader:
    """What one person may see of a territory, for its synthesis."""

    user: object
    territory: Territory
    rights: TerritoryRights
    _groups: set | None = field(default=None, repr=False)

    @property
    def sees_private(self) -> bool:
        return self.rights.can_view_private

    @property
    def is_team(self) -> bool:
        return self.rights.member is not None

    @property
    def is_elu(self) -> bool:
        return self.rights.member is not None and self.rights.member.role == TeamRole.ELU

    def groups(self) -> set:
        if self._groups is None:
            self._groups = (
                set(GroupMember.objects.filter(user=self.user).values_list("group_id", flat=True))
                if self.user.is_authenticated
                else set()
            )
        return self._groups

    def reads_proposal(self, proposal) -> bool:
        """The members of the croisement's two groups; the élu·es once it is addressed to them."""
        crossing = proposal.crossing
        if crossing.group_a_id in self.groups() or crossing.group_b_id in self.groups():
            return True
        return self.is_elu and proposal.status in ADDRESSED

    def may_see(self, audience: dict) -> bool:
        """Whether everything a synthesis built for `audience` shows is visible to this reader."""
        if audience.get("public"):
            return True
        if not self.sees_private:
            return False
        if audience.get("team_entries") and not self.is_team:
            return False
        wanted = audience.get("proposals") or []
        if wanted:
            proposals = JointProposal.objects.select_related("crossing").filter(
                pk__in=wanted, crossing__territory=self.territory
            )
            readable = {p.pk for p in proposals if self.reads_proposal(p)}
            if not set(wanted) <= readable:
                return False
        return True


def reader_of(user, territory: Territory) -> Reader:
    return Reader(user=user, territory=territory, rights=rights_of(user, territory))


def get_territory_for_synthesis(user, pk) -> tuple[Territory, Reader]:
    """The territory whose synthesis is asked for: the private ones to those who see them (404 to others),
    the published ones to anyone signed in (who gets the public version)."""
    if not user.is_authenticated:
        raise Http404
    territory, rights = get_territory_for_user(user, pk)
    return territory, Reader(user=user, territory=territory, rights=rights)


def get_synthesis_for_user(user, pk) -> tuple[Synthesis, Reader]:
    synthesis = (
        Synthesis.objects.select_related("territory", "pdf", "odt", "requested_by").filter(pk=pk).first()
    )
    if synthesis is None or not user.is_authenticated:
        raise Http404
    territory, rights = get_territory_for_user(user, synthesis.territory_id)
    reader = Reader(user=user, territory=territory, rights=rights)
    if not reader.may_see(synthesis.audience):
        raise Http404
    synthesis.territory = territory
    return synthesis, reader


def can_read_synthesis_document(user, document) -> bool:
    """The rule `documents` applies to a synthesis' PDF or ODT (registered in ReportsConfig.ready)."""
    if not user.is_authenticated:
        return False
    try:
        territory, rights = get_territory_for_user(user, document.territory_id)
    except Http404:
        return False
    return Reader(user=user, territory=territory, rights=rights).may_see(document.audience)
