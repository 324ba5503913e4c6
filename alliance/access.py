"""Who may see or change what in the alliance; views call these and nothing else."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from .models import Membership, Organisation, OrganisationPerson
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
