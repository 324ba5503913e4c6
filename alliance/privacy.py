"""What the alliance holds about a person, for their export and the deletion of their account
(accounts.privacy)."""

from django.utils import timezone

from accounts.privacy import iso_date, register, register_erasure
from core.audit import audit

from .models import (
    ACTIVE_STATUSES,
    Membership,
    MembershipKind,
    MembershipStatus,
    Organisation,
    OrganisationPerson,
)


@register
def export(user):
    return {
        "alliance_memberships": [
            {
                "kind": membership.kind,
                "organisation": membership.organisation.name if membership.organisation_id else None,
                "mandate": membership.mandate,
                "charter_version": membership.charter.version,
                "signed_at": iso_date(membership.signed_at),
                "status": membership.status,
                "listed_in_directory": membership.listed_in_directory,
                "created_at": iso_date(membership.created_at),
                "decided_at": iso_date(membership.decided_at),
                "reason": membership.reason,
                "ended_at": iso_date(membership.ended_at),
            }
            for membership in Membership.objects.filter(signatory=user)
            .select_related("organisation", "charter")
            .order_by("created_at", "pk")
        ],
        "organisations": [
            {
                "organisation": link.organisation.name,
                "is_referent": link.is_referent,
                "since": iso_date(link.added_at),
            }
            for link in OrganisationPerson.objects.filter(person=user)
            .select_related("organisation")
            .order_by("added_at", "pk")
        ],
        "organisations_created": sorted(
            Organisation.objects.filter(created_by=user).values_list("name", flat=True)
        ),
    }


@register_erasure
def leave_alliance(user):
    """A personal membership ends with the account; the organisations' memberships stay theirs."""
    for membership in Membership.objects.filter(
        signatory=user, kind=MembershipKind.PERSON, status__in=ACTIVE_STATUSES
    ).select_for_update():
        membership.status = MembershipStatus.WITHDRAWN
        membership.ended_at = timezone.now()
        membership.listed_in_directory = False
        membership.save(update_fields=["status", "ended_at", "listed_in_directory"])
        audit(actor=user, action="membership.withdraw", target=membership, reason="Compte supprimé")
    OrganisationPerson.objects.filter(person=user).delete()
