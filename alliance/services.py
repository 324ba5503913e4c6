"""Workflows of the alliance: applications, decisions, the charter and its versions."""

import datetime

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit
from core.errors import DomainError
from notifications.services import notify

from .models import (
    ACTIVE_STATUSES,
    Charter,
    CharterReminder,
    LapsedListing,
    Membership,
    MembershipKind,
    MembershipStatus,
    Organisation,
    OrganisationPerson,
)
from .notifications import queue_membership_email
from .selectors import charters_to_resign, current_charter, memberships_to_resign


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
            queue_membership_email(membership)
    except IntegrityError as exc:
        # Two applications at the same time: the partial unique indexes decide.
        raise DomainError(_("Une adhésion est déjà en cours ou active pour ce membre.")) from exc
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
        # In the outbox with the decision: it leaves once this commits, even if the broker is down.
        queue_membership_email(locked)
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


def charter_resign(*, user, charter: Charter) -> int:
    """Sign the current version for each of one's memberships still on an older one; a membership « à
    renouveler » is a plain membership again."""
    if not charter.is_current:
        raise DomainError(_("Cette version de la charte n'est plus en vigueur : signez la nouvelle."))
    with transaction.atomic():
        memberships = list(charters_to_resign(user).select_for_update(of=("self",)))
        for membership in memberships:
            previous = membership.charter.version
            membership.charter = charter
            membership.signed_at = timezone.now()
            membership.save(update_fields=["charter", "signed_at"])
            audit(
                actor=user,
                action="membership.resign",
                target=membership,
                charter_version=charter.version,
                previous_version=previous,
            )
    return len(memberships)


def charter_publish(
    *,
    actor,
    preamble: str,
    commitments: list[str],
    deadline_days: int | None = None,
    lapsed_listing: str = LapsedListing.MARK,
) -> Charter:
    """Publish a new version. Every member whose signature is older is told (in the platform and by e-mail),
    shown a banner until they re-sign, and has `deadline_days` to do so; past the deadline, their membership
    is « à renouveler », listed in the directory as `lapsed_listing` says."""
    commitments = [c.strip() for c in commitments if c.strip()]
    if not preamble.strip() or not commitments:
        raise DomainError(_("Une charte a un préambule et au moins un engagement."))
    if deadline_days is not None and not MIN_DEADLINE_DAYS <= deadline_days <= MAX_DEADLINE_DAYS:
        raise DomainError(
            _("Le délai pour signer de nouveau va de %(min)s à %(max)s jours.")
            % {"min": MIN_DEADLINE_DAYS, "max": MAX_DEADLINE_DAYS}
        )
    if lapsed_listing not in LapsedListing.values:
        raise DomainError(_("Choisissez ce que devient l'annuaire après l'échéance."))
    with transaction.atomic():
        # Serialises concurrent publications so that exactly one version stays current.
        previous = Charter.objects.select_for_update().filter(is_current=True).first()
        last_version = Charter.objects.order_by("-version").values_list("version", flat=True).first() or 0
        if previous is not None:
            previous.is_current = False
            previous.save(update_fields=["is_current"])
        now = timezone.now()
        charter = Charter.objects.create(
            version=last_version + 1,
            preamble=preamble.strip(),
            commitments=commitments,
            is_current=True,
            published_at=now,
            published_by=actor,
            resign_deadline=(
                timezone.localdate(now) + datetime.timedelta(days=deadline_days) if deadline_days else None
            ),
            lapsed_listing=lapsed_listing,
        )
        audit(
            actor=actor,
            action="charter.publish",
            target=charter,
            version=charter.version,
            deadline=charter.resign_deadline.isoformat() if charter.resign_deadline else None,
            lapsed_listing=lapsed_listing,
        )
        signatories = {m.signatory for m in memberships_to_resign().select_related("signatory")}
        if signatories:
            notify(
                kind="alliance.charter",
                recipients=signatories,
                actor=actor,
                message="alliance.charter_published",
                params={"version": charter.version},
                url=reverse("alliance:charter_resign"),
                **_deadline_excerpt(charter),
            )
    return charter


# Reminders, 30, 7 and 1 day before the deadline; 0 is the notice sent once it is past.
REMINDER_DAYS = (30, 7, 1)
MIN_DEADLINE_DAYS, MAX_DEADLINE_DAYS = 7, 730


def _deadline_excerpt(charter: Charter) -> dict:
    """notify()'s excerpt arguments: the deadline, in each reader's language (apps.py registers it)."""
    if charter.resign_deadline is None:
        return {}
    return {
        "excerpt_message": "alliance.charter_deadline",
        "excerpt_params": {"date": charter.resign_deadline.isoformat()},
    }


def charter_send_reminders(today=None) -> int:
    """The daily sweep (Celery beat): remind those who have not re-signed as the deadline nears (30, 7, 1
    days before), then tell them once their membership is « à renouveler ». Each stage is sent at most once
    per membership (CharterReminder); a sweep that missed days sends only the stage of the day. Returns how
    many memberships were told."""
    today = today or timezone.localdate()
    charter = current_charter()
    if charter is None or charter.resign_deadline is None:
        return 0
    days_left = (charter.resign_deadline - today).days
    if days_left < 0:
        stage = 0
    else:
        stages = [days for days in REMINDER_DAYS if days_left <= days]
        if not stages:
            return 0
        stage = min(stages)
    with transaction.atomic():
        already = CharterReminder.objects.filter(charter=charter, days_before=stage).values("membership_id")
        due = list(memberships_to_resign().exclude(pk__in=already).select_related("signatory"))
        if not due:
            return 0
        CharterReminder.objects.bulk_create(
            [CharterReminder(charter=charter, membership=m, days_before=stage) for m in due],
            ignore_conflicts=True,
        )
        url = reverse("alliance:charter_resign")
        if stage:
            message = "alliance.charter_last_day" if days_left <= 1 else "alliance.charter_reminder"
        else:
            message = "alliance.charter_lapsed"
        notify(
            kind="alliance.charter",
            recipients={m.signatory for m in due},
            actor=None,
            message=message,
            params={"days": days_left, "version": charter.version},
            url=url,
            **_deadline_excerpt(charter),
        )
        for membership in due if stage == 0 else ():
            audit(actor=None, action="membership.lapse", target=membership, charter_version=charter.version)
    return len(due)


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


def organisation_update(*, actor, organisation: Organisation) -> Organisation:
    """Save the organisation's card: `organisation` carries the new values (from its form)."""
    with transaction.atomic():
        Organisation.objects.select_for_update().get(pk=organisation.pk)
        organisation.save()
        audit(actor=actor, action="organisation.update", target=organisation)
    return organisation
