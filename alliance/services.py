"""Workflows of the alliance: applications, decisions, the charter and its versions."""

from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit
from core.errors import DomainError

from .models import (
    ACTIVE_STATUSES,
    Category,
    Charter,
    Membership,
    MembershipKind,
    MembershipStatus,
    Organisation,
    OrganisationPerson,
)


def current_charter() -> Charter | None:
    return Charter.objects.filter(is_current=True).first()


def memberships_of(user):
    """The memberships a person signed, and those of the organisations they belong to."""
    if not user.is_authenticated:
        return Membership.objects.none()
    return (
        Membership.objects.filter(Q(signatory=user) | Q(organisation__memberships_people__person=user))
        .select_related("organisation", "charter", "signatory")
        .distinct()
        .order_by("-created_at")
    )


def directory_counts() -> dict:
    """How many allies of each category appear in the public directory."""
    rows = public_organisations().values("category").annotate(n=Count("id")).order_by()
    by_category = {row["category"]: row["n"] for row in rows}
    return {
        "categories": [(value, label, by_category.get(value, 0)) for value, label in Category.choices],
        "organisations": sum(by_category.values()),
        "persons": public_persons().count(),
    }


def public_organisations():
    return Organisation.objects.filter(
        listed_in_directory=True,
        alliance_memberships__status=MembershipStatus.ACCEPTED,
        alliance_memberships__listed_in_directory=True,
    ).distinct()


def public_persons():
    return Membership.objects.filter(
        kind=MembershipKind.PERSON, status=MembershipStatus.ACCEPTED, listed_in_directory=True
    ).select_related("signatory")


def _notify_decision(membership):
    from .tasks import send_membership_email

    transaction.on_commit(lambda: send_membership_email.delay(membership.pk))


def membership_apply(
    *,
    user,
    kind: str,
    charter: Charter,
    organisation: Organisation | None = None,
    new_organisation: Organisation | None = None,
    mandate: str = "",
    listed_in_directory: bool = True,
) -> Membership:
    """Sign the current charter and apply, for oneself or on behalf of an organisation."""
    if not charter.is_current:
        raise DomainError(
            _("La charte a changé pendant votre saisie : relisez la nouvelle version et signez-la.")
        )
    if kind == MembershipKind.ORGANISATION and not (organisation or new_organisation):
        raise DomainError(_("Choisissez une organisation existante ou créez-en une."))
    if kind == MembershipKind.ORGANISATION and not mandate.strip():
        raise DomainError(_("Déclarez le mandat qui vous permet d'engager l'organisation."))
    if (
        kind == MembershipKind.PERSON
        and Membership.objects.active().filter(kind=MembershipKind.PERSON, signatory=user).exists()
    ):
        raise DomainError(_("Vous avez déjà une adhésion personnelle en cours ou active."))
    if organisation and Membership.objects.active().filter(organisation=organisation).exists():
        raise DomainError(_("%(name)s a déjà une adhésion en cours ou active.") % {"name": organisation.name})
    try:
        with transaction.atomic():
            if new_organisation is not None:
                new_organisation.created_by = user
                new_organisation.save()
                organisation = new_organisation
            if organisation is not None:
                # Whoever creates the organisation's profile manages it; claiming an existing one only
                # makes the applicant its referent once an admin accepts the application.
                OrganisationPerson.objects.get_or_create(
                    organisation=organisation,
                    person=user,
                    defaults={"is_referent": new_organisation is not None},
                )
            membership = Membership.objects.create(
                kind=kind,
                organisation=organisation if kind == MembershipKind.ORGANISATION else None,
                signatory=user,
                mandate=mandate.strip(),
                charter=charter,
                signed_at=timezone.now(),
                listed_in_directory=listed_in_directory,
            )
            audit(actor=user, action="membership.apply", target=membership, charter_version=charter.version)
    except IntegrityError as exc:
        # Two applications at the same time: the partial unique indexes decide.
        raise DomainError(_("Une adhésion est déjà en cours ou active pour ce membre.")) from exc
    _notify_decision(membership)
    return membership


def _decide(*, actor, membership, expected, new_status, action, reason=""):
    with transaction.atomic():
        locked = Membership.objects.select_for_update().get(pk=membership.pk)
        if locked.status not in expected:
            raise DomainError(
                _("Cette adhésion est désormais « %(status)s » : l'action n'est plus possible.")
                % {"status": locked.get_status_display()}
            )
        now = timezone.now()
        locked.status = new_status
        locked.reason = reason.strip()
        if new_status in (MembershipStatus.ACCEPTED, MembershipStatus.REFUSED):
            locked.decided_at = now
            locked.decided_by = actor
        if new_status == MembershipStatus.WITHDRAWN:
            locked.ended_at = now
        locked.save()
        audit(actor=actor, action=action, target=locked, reason=locked.reason)
    _notify_decision(locked)
    return locked


def membership_accept(*, actor, membership) -> Membership:
    with transaction.atomic():
        accepted = _decide(
            actor=actor,
            membership=membership,
            expected=[MembershipStatus.CANDIDATE],
            new_status=MembershipStatus.ACCEPTED,
            action="membership.accept",
        )
        if accepted.organisation_id:
            # The signatory engaged the organisation: they manage its profile from now on.
            OrganisationPerson.objects.update_or_create(
                organisation_id=accepted.organisation_id,
                person_id=accepted.signatory_id,
                defaults={"is_referent": True},
            )
    return accepted


def membership_refuse(*, actor, membership, reason: str) -> Membership:
    if not reason.strip():
        raise DomainError(_("Indiquez le motif du refus : il est communiqué au ou à la candidat·e."))
    return _decide(
        actor=actor,
        membership=membership,
        expected=[MembershipStatus.CANDIDATE],
        new_status=MembershipStatus.REFUSED,
        action="membership.refuse",
        reason=reason,
    )


def membership_suspend(*, actor, membership, reason: str) -> Membership:
    if not reason.strip():
        raise DomainError(_("Indiquez le motif de la suspension."))
    return _decide(
        actor=actor,
        membership=membership,
        expected=[MembershipStatus.ACCEPTED],
        new_status=MembershipStatus.SUSPENDED,
        action="membership.suspend",
        reason=reason,
    )


def membership_reinstate(*, actor, membership) -> Membership:
    return _decide(
        actor=actor,
        membership=membership,
        expected=[MembershipStatus.SUSPENDED],
        new_status=MembershipStatus.ACCEPTED,
        action="membership.reinstate",
    )


def membership_withdraw(*, actor, membership, reason: str = "") -> Membership:
    return _decide(
        actor=actor,
        membership=membership,
        expected=ACTIVE_STATUSES,
        new_status=MembershipStatus.WITHDRAWN,
        action="membership.withdraw",
        reason=reason,
    )


def charters_to_resign(user):
    """The accepted memberships the person signed against a charter version that is no longer current."""
    if not user.is_authenticated:
        return Membership.objects.none()
    return Membership.objects.filter(
        signatory=user, status=MembershipStatus.ACCEPTED, charter__is_current=False
    ).select_related("organisation", "charter")


def charter_resign(*, user, charter: Charter) -> int:
    if not charter.is_current:
        raise DomainError(_("Cette version de la charte n'est plus en vigueur : signez la nouvelle."))
    with transaction.atomic():
        memberships = list(charters_to_resign(user).select_for_update(of=("self",)))
        for membership in memberships:
            membership.charter = charter
            membership.signed_at = timezone.now()
            membership.save(update_fields=["charter", "signed_at"])
            audit(actor=user, action="membership.resign", target=membership, charter_version=charter.version)
    return len(memberships)


def charter_publish(*, actor, preamble: str, commitments: list[str]) -> Charter:
    """Publish a new version; members who signed an older one are asked to sign again at their next login."""
    commitments = [c.strip() for c in commitments if c.strip()]
    if not preamble.strip() or not commitments:
        raise DomainError(_("Une charte a un préambule et au moins un engagement."))
    with transaction.atomic():
        # Serialises concurrent publications so that exactly one version stays current.
        previous = Charter.objects.select_for_update().filter(is_current=True).first()
        last_version = Charter.objects.order_by("-version").values_list("version", flat=True).first() or 0
        if previous is not None:
            previous.is_current = False
            previous.save(update_fields=["is_current"])
        charter = Charter.objects.create(
            version=last_version + 1,
            preamble=preamble.strip(),
            commitments=commitments,
            is_current=True,
            published_by=actor,
        )
        audit(actor=actor, action="charter.publish", target=charter, version=charter.version)
    return charter


def organisation_add_person(*, actor, organisation, person, is_referent=False) -> OrganisationPerson:
    with transaction.atomic():
        link, created = OrganisationPerson.objects.get_or_create(
            organisation=organisation, person=person, defaults={"is_referent": is_referent}
        )
        if not created:
            raise DomainError(
                _("%(person)s fait déjà partie de %(organisation)s.")
                % {"person": person, "organisation": organisation}
            )
        audit(actor=actor, action="organisation.add_person", target=organisation, person=person.email)
    return link
