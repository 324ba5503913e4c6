"""Personal data (RGPD): a person downloads all the platform holds about them, or deletes their account.

Each app contributes what it holds through the registries below, from its `AppConfig.ready()`:
`register(fn)` adds `fn(user) -> dict` whose keys become sections of the JSON export (a key belongs to one
app only), `register_erasure(fn)` adds `fn(user)` run inside the deletion's transaction to remove what must
not outlive the account, `register_obstacle(fn)` adds `fn(user) -> [sentence]`, the reasons the deletion
must wait. The account row itself is never deleted: other people's work points at it, and
shows "Compte supprimé" once it is anonymised.
"""

from collections.abc import Callable

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit
from core.errors import DomainError

from .models import ActorFamily, PlatformRole, PrivacyRequest, PrivacyRequestKind, Session, User

EXPORT_FORMAT_VERSION = 1
DELETED_NAME = "Compte supprimé"

_exporters: list[Callable] = []
_erasers: list[Callable] = []
_obstacles: list[Callable] = []


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


def register_obstacle(fn: Callable) -> Callable:
    """Add an app's reasons to wait before deleting: `fn(user)` returns sentences for the person."""
    if fn not in _obstacles:
        _obstacles.append(fn)
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
    reasons = []
    if user.is_alliance_admin or user.is_superuser:
        reasons.append(
            _(
                "Vous êtes administrateur·ice : demandez à un·e autre administrateur·ice de vous retirer ce "
                "rôle avant de supprimer votre compte."
            )
        )
    for obstacles in _obstacles:
        reasons.extend(obstacles(user))
    return reasons


def _end_sessions(user):
    # Each session row names its person (accounts.sessions): one statement, however many are signed in.
    Session.objects.filter(user=user).delete()


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


# --- What accounts and notifications hold --------------------------------------------------------


def iso_date(value):
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
            "language": user.language,
            "role": user.role,
            "date_joined": iso_date(user.date_joined),
            "last_login": iso_date(user.last_login),
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
            {"kind": request.kind, "date": iso_date(request.created_at)}
            for request in PrivacyRequest.objects.filter(user=user).order_by("created_at", "pk")
        ],
        "actions": [
            {"date": iso_date(entry.created_at), "action": entry.action, "object": entry.target_repr}
            for entry in AuditEntry.objects.filter(actor=user).order_by("created_at", "pk")
        ],
    }


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
