"""Personal data (RGPD): a person downloads all the platform holds about them, or deletes their account.

Each app contributes what it holds through the two registries below, from its `AppConfig.ready()`:
`register(fn)` adds `fn(user) -> dict` whose keys become sections of the JSON export (a key belongs to one
app only), `register_erasure(fn)` adds `fn(user)` run inside the deletion's transaction to remove what must
not outlive the account. The account row itself is never deleted: other people's work points at it, and
shows "Compte supprimé" once it is anonymised.
"""

from collections.abc import Callable

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit
from core.errors import DomainError

from .models import ActorFamily, PlatformRole, PrivacyRequest, PrivacyRequestKind, User

EXPORT_FORMAT_VERSION = 1
DELETED_NAME = "Compte supprimé"

_exporters: list[Callable] = []
_erasers: list[Callable] = []


def register(fn: Callable) -> Callable:
    """Add an app's part of the export: `fn(user)` returns {section name: JSON-serialisable data}."""
    if fn not in _exporters:
        _exporters.append(fn)
    return fn


def register_erasure(fn: Callable) -> Callable:
    """Add an app's step of the deletion: `fn(user)`, run in the deletion's transaction."""
    if fn not in _erasers:
        _erasers.append(fn)
    return fn


def personal_data(user) -> dict:
    document = {
        "format_version": EXPORT_FORMAT_VERSION,
        "generated_at": timezone.now(),
        "platform": "La Fabrique des Transitions",
        "account_id": user.pk,
    }
    for exporter in _exporters:
        for section, data in exporter(user).items():
            if section in document:
                raise ValueError(f"Two exporters of personal data write the section {section!r}")
            document[section] = data
    return document


def privacy_export(*, user) -> dict:
    """Everything about the person, and a line in the admins' register of requests."""
    with transaction.atomic():
        PrivacyRequest.objects.create(kind=PrivacyRequestKind.EXPORT, user=user, account_id=user.pk)
        audit(actor=user, action="privacy.export", target=user)
    return personal_data(user)


def deletion_obstacles(user) -> list[str]:
    """Why the account cannot be deleted yet, in sentences for the person; empty when it can."""
    from territories.models import TeamMember

    reasons = []
    if user.is_alliance_admin or user.is_superuser:
        reasons.append(
            _(
                "Vous êtes administrateur·ice : demandez à un·e autre administrateur·ice de vous retirer ce "
                "rôle avant de supprimer votre compte."
            )
        )
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


def _end_sessions(user):
    # Sessions are stored signed, not by user: read the live ones to find the person's.
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get(SESSION_KEY) == str(user.pk):
            session.delete()


def account_delete(*, user) -> User:
    """Anonymise the account in one transaction; contributions stay, attributed to "Compte supprimé"."""
    obstacles = deletion_obstacles(user)
    if obstacles:
        raise DomainError(" ".join(obstacles))
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        if not locked.is_active:
            raise DomainError(_("Ce compte est déjà supprimé."))
        for eraser in _erasers:
            eraser(locked)
        EmailAddress.objects.filter(user=locked).delete()
        Authenticator.objects.filter(user=locked).delete()
        locked.full_name = DELETED_NAME
        locked.email = f"supprime-{locked.pk}@invalid.local"
        locked.function = ""
        locked.phone = ""
        locked.family = ActorFamily.AUTRE
        locked.role = PlatformRole.MEMBER
        locked.is_active = False
        locked.is_staff = False
        locked.is_superuser = False
        locked.set_unusable_password()
        locked.save()
        locked.groups.clear()
        locked.user_permissions.clear()
        PrivacyRequest.objects.create(kind=PrivacyRequestKind.DELETION, user=locked, account_id=locked.pk)
        audit(actor=locked, action="privacy.deletion", target=locked)
        _end_sessions(locked)
    return locked


# --- What accounts, alliance and territories hold --------------------------------------------------------


def _date(value):
    return value.isoformat() if value else None


@register
def _account_data(user):
    from core.models import AuditEntry

    return {
        "profile": {
            "email": user.email,
            "full_name": user.full_name,
            "function": user.function,
            "phone": user.phone,
            "family": user.family,
            "role": user.role,
            "date_joined": _date(user.date_joined),
            "last_login": _date(user.last_login),
        },
        "email_addresses": [
            {"email": address.email, "verified": address.verified, "primary": address.primary}
            for address in EmailAddress.objects.filter(user=user).order_by("email")
        ],
        # The kinds of second factor only: their secrets are no data about the person.
        "two_factor_methods": sorted(
            Authenticator.objects.filter(user=user).values_list("type", flat=True).distinct()
        ),
        "privacy_requests": [
            {"kind": request.kind, "date": _date(request.created_at)}
            for request in PrivacyRequest.objects.filter(user=user).order_by("created_at", "pk")
        ],
        "actions": [
            {"date": _date(entry.created_at), "action": entry.action, "object": entry.target_repr}
            for entry in AuditEntry.objects.filter(actor=user).order_by("created_at", "pk")
        ],
    }


@register
def _alliance_data(user):
    from alliance.models import Membership, Organisation, OrganisationPerson

    return {
        "alliance_memberships": [
            {
                "kind": membership.kind,
                "organisation": membership.organisation.name if membership.organisation_id else None,
                "mandate": membership.mandate,
                "charter_version": membership.charter.version,
                "signed_at": _date(membership.signed_at),
                "status": membership.status,
                "listed_in_directory": membership.listed_in_directory,
                "created_at": _date(membership.created_at),
                "decided_at": _date(membership.decided_at),
                "reason": membership.reason,
                "ended_at": _date(membership.ended_at),
            }
            for membership in Membership.objects.filter(signatory=user)
            .select_related("organisation", "charter")
            .order_by("created_at", "pk")
        ],
        "organisations": [
            {
                "organisation": link.organisation.name,
                "is_referent": link.is_referent,
                "since": _date(link.added_at),
            }
            for link in OrganisationPerson.objects.filter(person=user)
            .select_related("organisation")
            .order_by("added_at", "pk")
        ],
        "organisations_created": sorted(
            Organisation.objects.filter(created_by=user).values_list("name", flat=True)
        ),
    }


@register
def _territory_data(user):
    from territories.models import Assessment, Invitation, TeamMember, Territory

    addresses = [user.email, *EmailAddress.objects.filter(user=user).values_list("email", flat=True)]
    return {
        "territory_teams": [
            {
                "territory": member.territory.name,
                "role": member.role,
                "is_manager": member.is_manager,
                "joined_at": _date(member.joined_at),
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
                "created_at": _date(invitation.created_at),
                "answered_at": _date(invitation.answered_at),
            }
            for invitation in Invitation.objects.filter(email__in={a.lower() for a in addresses})
            .select_related("territory")
            .order_by("created_at", "pk")
        ],
        # Who was invited is the invitees' data: the person sees what they did, not to whom.
        "invitations_sent": [
            {"territory": name, "role": role, "created_at": _date(created_at)}
            for name, role, created_at in Invitation.objects.filter(invited_by=user)
            .order_by("created_at", "pk")
            .values_list("territory__name", "role", "created_at")
        ],
        "assessments_recorded": [
            {"territory": name, "date": _date(day)}
            for name, day in Assessment.objects.filter(recorded_by=user)
            .order_by("date", "pk")
            .values_list("territory__name", "date")
        ],
    }


@register_erasure
def _leave_alliance(user):
    """A personal membership ends with the account; the organisations' memberships stay theirs."""
    from alliance.models import (
        ACTIVE_STATUSES,
        Membership,
        MembershipKind,
        MembershipStatus,
        OrganisationPerson,
    )

    for membership in Membership.objects.filter(
        signatory=user, kind=MembershipKind.PERSON, status__in=ACTIVE_STATUSES
    ).select_for_update():
        membership.status = MembershipStatus.WITHDRAWN
        membership.ended_at = timezone.now()
        membership.listed_in_directory = False
        membership.save(update_fields=["status", "ended_at", "listed_in_directory"])
        audit(actor=user, action="membership.withdraw", target=membership, reason="Compte supprimé")
    OrganisationPerson.objects.filter(person=user).delete()


@register_erasure
def _leave_territories(user):
    """The person leaves every team they belong to and stops facilitating; their work stays."""
    from territories.models import Invitation, InvitationStatus, TeamMember, Territory

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


@register_erasure
def _forget_notifications(user):
    from notifications.models import Notification, NotificationPreference

    Notification.objects.filter(recipient=user).delete()
    NotificationPreference.objects.filter(user=user).delete()


@register_erasure
def _forget_emails(user):
    """The outbox keeps the addresses e-mails went to (for 30 days): the deleted account's are forgotten, and
    what was still to be sent to it is not sent."""
    from django.db.models.functions import Lower

    from outbox.models import OutgoingEmail

    addresses = {
        user.email.lower(),
        *(a.lower() for a in user.emailaddress_set.values_list("email", flat=True)),
    }
    OutgoingEmail.objects.annotate(address=Lower("to")).filter(address__in=addresses).delete()
