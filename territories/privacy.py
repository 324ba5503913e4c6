"""What the territories hold about a person, for their export and the deletion of their account
(accounts.privacy)."""

from allauth.account.models import EmailAddress
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.privacy import DELETED_NAME, iso_date, register, register_erasure, register_obstacle
from core.audit import audit

from .models import Assessment, Invitation, InvitationStatus, TeamMember, Territory


@register
def export(user):
    addresses = [user.email, *EmailAddress.objects.filter(user=user).values_list("email", flat=True)]
    return {
        "territory_teams": [
            {
                "territory": member.territory.name,
                "role": member.role,
                "is_manager": member.is_manager,
                "joined_at": iso_date(member.joined_at),
            }
            for member in TeamMember.objects.filter(user=user)
            .select_related("territory")
            .order_by("joined_at")
        ],
        "territories_facilitated": sorted(
            Territory.objects.filter(facilitators=user).values_list("name", flat=True)
        ),
        "invitations_received": [
            {
                "territory": invitation.territory.name,
                "email": invitation.email,
                "role": invitation.role,
                "status": invitation.status,
                "created_at": iso_date(invitation.created_at),
                "answered_at": iso_date(invitation.answered_at),
            }
            for invitation in Invitation.objects.filter(email__in={a.lower() for a in addresses})
            .select_related("territory")
            .order_by("created_at", "pk")
        ],
        # Who was invited is the invitees' data: the person sees what they did, not to whom.
        "invitations_sent": [
            {"territory": name, "role": role, "created_at": iso_date(created_at)}
            for name, role, created_at in Invitation.objects.filter(invited_by=user)
            .order_by("created_at", "pk")
            .values_list("territory__name", "role", "created_at")
        ],
        "assessments_recorded": [
            {"territory": name, "date": iso_date(day)}
            for name, day in Assessment.objects.filter(recorded_by=user)
            .order_by("date", "pk")
            .values_list("territory__name", "date")
        ],
    }


@register_obstacle
def sole_manager(user) -> list[str]:
    """A territory must keep a manager: its last one hands it over before leaving."""
    reasons = []
    managed = TeamMember.objects.filter(user=user, is_manager=True).select_related("territory")
    for member in managed:
        others = TeamMember.objects.filter(territory_id=member.territory_id, is_manager=True).exclude(
            user=user
        )
        if not others.exists():
            reasons.append(
                _(
                    "Vous êtes la seule personne qui gère le territoire %(territory)s : confiez sa gestion à "
                    "un·e collègue de l'équipe avant de supprimer votre compte."
                )
                % {"territory": member.territory.name}
            )
    return reasons


@register_erasure
def leave_territories(user):
    """The person leaves every team they belong to and stops facilitating; their work stays."""
    for member in TeamMember.objects.filter(user=user).select_related("territory"):
        audit(actor=user, action="team.remove", target=member.territory, member=DELETED_NAME)
        member.delete()
    for territory in Territory.objects.filter(facilitators=user):
        territory.facilitators.remove(user)
    addresses = {
        user.email.lower(),
        *(e.lower() for e in EmailAddress.objects.filter(user=user).values_list("email", flat=True)),
    }
    Invitation.objects.filter(email__in=addresses, status=InvitationStatus.PENDING).update(
        status=InvitationStatus.REVOKED, answered_at=timezone.now()
    )
