"""Who may see or change what in the alliance; views call these and nothing else."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404

from .models import Membership, MembershipStatus, Organisation, OrganisationPerson
from .selectors import public_organisations


def get_membership_for_user(user, pk) -> Membership:
    """The signatory, the organisation's referents and the admins see a membership; others get a 404."""
    membership = (
        Membership.objects.select_related("organisation", "charter", "signatory", "decided_by")
        .filter(pk=pk)
        .first()
    )
    if membership is None or not user.is_authenticated:
        raise Http404
    if user.is_alliance_admin or membership.signatory_id == user.pk:
        return membership
    if (
        membership.organisation_id
        and OrganisationPerson.objects.filter(
            organisation_id=membership.organisation_id, person=user, is_referent=True
        ).exists()
    ):
        return membership
    raise Http404


@dataclass(frozen=True)
class MembershipRights:
    """What the person who sees a membership may do with it, in its current state (the services check the
    same states under a lock: a page read before a change offers a step that is then refused)."""

    membership: Membership
    is_admin: bool

    @property
    def can_decide(self) -> bool:
        """The alliance's admins decide on applications and memberships."""
        return self.is_admin

    @property
    def can_accept(self) -> bool:
        return self.is_admin and self.membership.status == MembershipStatus.CANDIDATE

    @property
    def can_refuse(self) -> bool:
        return self.can_accept

    @property
    def can_suspend(self) -> bool:
        return self.is_admin and self.membership.status == MembershipStatus.ACCEPTED

    @property
    def can_reinstate(self) -> bool:
        return self.is_admin and self.membership.status == MembershipStatus.SUSPENDED

    @property
    def can_withdraw(self) -> bool:
        """Everyone who sees an active membership may end it: its signatory, referents and the admins."""
        return self.membership.is_active


def membership_rights(user, membership: Membership) -> MembershipRights:
    """The rights of a person get_membership_for_user let see the membership."""
    return MembershipRights(membership=membership, is_admin=user.is_alliance_admin)


def get_organisation_for_user(user, pk) -> Organisation:
    """A listed member organisation is public; an unlisted or pending one is seen by its people and admins."""
    organisation = Organisation.objects.filter(pk=pk).first()
    if organisation is None:
        raise Http404
    if public_organisations().filter(pk=pk).exists():
        return organisation
    if user.is_authenticated and (
        user.is_alliance_admin
        or OrganisationPerson.objects.filter(organisation=organisation, person=user).exists()
    ):
        return organisation
    raise Http404


def get_organisation_for_editing(user, pk) -> Organisation:
    organisation = get_organisation_for_user(user, pk)
    if not user.is_authenticated:
        raise Http404
    if (
        user.is_alliance_admin
        or OrganisationPerson.objects.filter(
            organisation=organisation, person=user, is_referent=True
        ).exists()
    ):
        return organisation
    raise PermissionDenied
