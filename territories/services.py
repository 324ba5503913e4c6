"""Workflows of territories: composition from reference data, the team and its invitations, assessments,
the diagnostic's recommendations."""

from collections.abc import Callable, Iterable

from allauth.account.models import EmailAddress
from django.db import IntegrityError, transaction
from django.db.models import Count, Sum
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit
from core.errors import DomainError

from . import signals
from .models import (
    Assessment,
    AssessmentScore,
    Diagnostic,
    Fundamental,
    Invitation,
    InvitationStatus,
    Milestone,
    Recommendation,
    RecommendationStatus,
    TeamMember,
    TeamRole,
    Territory,
    TerritoryKind,
)
from .notifications import queue_invitation_email


def territory_refresh(territory: Territory) -> Territory:
    """Recompute population and number of communes from the reference data."""
    totals = territory.communes().aggregate(population=Sum("population"), communes=Count("id"))
    territory.population = totals["population"] or 0
    territory.commune_count = totals["communes"] or 0
    territory.save(update_fields=["population", "commune_count"])
    return territory


def territories_refresh() -> int:
    """Recompute every territory's totals from the reference data; how many were recomputed."""
    count = 0
    for territory in Territory.objects.all():
        territory_refresh(territory)
        count += 1
    return count


def territory_create(
    *,
    actor,
    kind: str,
    name: str = "",
    reference=None,
    epcis=(),
    grouping_kind: str = "",
    manager=None,
    manager_role: str = "",
) -> Territory:
    """Create a territory from a reference entity (commune, EPCI, département, région) or a set of EPCI,
    with its first manager if one is given."""
    fields = {
        TerritoryKind.COMMUNE: "commune",
        TerritoryKind.EPCI: "epci",
        TerritoryKind.DEPARTMENT: "department",
        TerritoryKind.REGION: "region",
    }
    if kind == TerritoryKind.GROUPING:
        epcis = list(epcis)
        if not epcis:
            raise DomainError(_("Un regroupement compte au moins un EPCI."))
        if not name.strip():
            raise DomainError(_("Donnez un nom au regroupement."))
    elif reference is None:
        raise DomainError(_("Choisissez l'entité du référentiel administratif."))
    with transaction.atomic():
        territory = Territory(
            kind=kind,
            name=(name.strip() or reference.name) if reference is not None else name.strip(),
            grouping_kind=grouping_kind if kind == TerritoryKind.GROUPING else "",
        )
        if kind in fields:
            setattr(territory, fields[kind], reference)
        territory.save()
        if kind == TerritoryKind.GROUPING:
            territory.epcis.set(epcis)
        territory_refresh(territory)
        audit(actor=actor, action="territory.create", target=territory, kind=kind)
        if manager is not None:
            team_member_add(
                actor=actor, territory=territory, user=manager, role=manager_role, is_manager=True
            )
    return territory


def _lock(territory: Territory) -> Territory:
    return Territory.objects.select_for_update().get(pk=territory.pk)


# The fields of the profile its managers edit; the rest (publication, composition, figures) has its own
# service.
PROFILE_FIELDS = [
    "article",
    "description",
    "website",
    "logo",
    "area_km2",
    "technical_team_min",
    "technical_team_max",
]


def territory_profile_update(
    *, actor, territory: Territory, governance: list, removed_governance=(), epcis=None
) -> Territory:
    """Save the profile: `territory` carries the new values of PROFILE_FIELDS, `governance` its bodies in
    the order shown (saved or not), `removed_governance` the ones to delete; `epcis`, when not None, the
    new composition of a grouping."""
    with transaction.atomic():
        _lock(territory)
        territory.save(update_fields=PROFILE_FIELDS)
        for body in removed_governance:
            if body.pk is not None:
                body.delete()
        for position, body in enumerate(governance):
            body.territory = territory
            body.order = position
            body.save()
        audit(actor=actor, action="territory.update", target=territory, governance=len(governance))
        if epcis is not None:
            territory_set_epcis(actor=actor, territory=territory, epcis=epcis)
    return territory


def territory_publication_set(
    *, actor, territory: Territory, is_pilot: bool, pilot_since, facilitators, carrier, is_published: bool
) -> Territory:
    """The alliance's decisions on a territory: pilot status, its facilitators, the organisation that
    carries it, and its publication (the apps above re-index what depends on it, in the same transaction)."""
    with transaction.atomic():
        locked = _lock(territory)
        locked.is_pilot = is_pilot
        locked.pilot_since = pilot_since
        locked.carrier = carrier
        locked.save(update_fields=["is_pilot", "pilot_since", "carrier"])
        locked.facilitators.set(facilitators)
        audit(
            actor=actor,
            action="territory.pilot",
            target=locked,
            is_pilot=is_pilot,
            pilot_since=pilot_since,
            carrier=carrier.pk if carrier is not None else None,
            facilitators=sorted(user.pk for user in facilitators),
        )
        _publish(actor=actor, territory=locked, is_published=is_published)
    return locked


def territory_publish(*, actor, territory: Territory, is_published: bool) -> Territory:
    """Publish or unpublish a territory (the Django admin's checkbox comes here too)."""
    with transaction.atomic():
        locked = _lock(territory)
        _publish(actor=actor, territory=locked, is_published=is_published)
    return locked


def _publish(*, actor, territory: Territory, is_published: bool) -> None:
    """Inside the caller's transaction, on the locked row: nothing happens when the state is unchanged."""
    if territory.is_published == is_published:
        return
    territory.is_published = is_published
    territory.save(update_fields=["is_published"])
    audit(
        actor=actor, action="territory.publish" if is_published else "territory.unpublish", target=territory
    )
    signals.territory_publication_changed.send(sender=Territory, territory=territory)


def territory_set_epcis(*, actor, territory: Territory, epcis) -> Territory:
    if territory.kind != TerritoryKind.GROUPING:
        raise DomainError(_("Seul un regroupement est composé d'EPCI."))
    epcis = list(epcis)
    if not epcis:
        raise DomainError(_("Un regroupement compte au moins un EPCI."))
    with transaction.atomic():
        territory.epcis.set(epcis)
        territory_refresh(territory)
        audit(actor=actor, action="territory.set_epcis", target=territory, epcis=[e.siren for e in epcis])
    return territory


def invitation_create(
    *, actor, territory: Territory, email: str, role: str, is_manager: bool = False
) -> Invitation:
    email = email.strip().lower()
    if TeamMember.objects.filter(territory=territory, user__email__iexact=email).exists():
        raise DomainError(_("Cette personne fait déjà partie de l'équipe."))
    try:
        with transaction.atomic():
            # A new invitation to the same address replaces the one still pending.
            Invitation.objects.filter(
                territory=territory, email=email, status=InvitationStatus.PENDING
            ).update(status=InvitationStatus.REVOKED, answered_at=timezone.now())
            invitation = Invitation.objects.create(
                territory=territory, email=email, role=role, is_manager=is_manager, invited_by=actor
            )
            audit(actor=actor, action="invitation.create", target=territory, email=email, role=role)
            # In the outbox with the invitation: it leaves once this commits, even if the broker is down.
            queue_invitation_email(invitation)
    except IntegrityError as exc:
        raise DomainError(_("Une invitation est déjà en cours pour cette adresse.")) from exc
    return invitation


def _verified_addresses(user):
    return (
        EmailAddress.objects.filter(user=user, verified=True).annotate(lower=Lower("email")).values("lower")
    )


def invitation_is_addressed_to(user, invitation: Invitation) -> bool:
    """The invitation went to the account's e-mail or to another address the person has verified."""
    email = invitation.email.lower()
    return email == user.email.lower() or _verified_addresses(user).filter(lower=email).exists()


def invitation_check(*, user, invitation: Invitation) -> None:
    """Raise the reason why `user` cannot answer the invitation, if there is one."""
    if invitation.status != InvitationStatus.PENDING:
        raise DomainError(_("Cette invitation a déjà reçu une réponse ou a été annulée."))
    if invitation.is_expired:
        raise DomainError(
            _("Cette invitation a expiré : demandez-en une nouvelle à la personne qui vous a invité·e.")
        )
    if not invitation_is_addressed_to(user, invitation):
        raise DomainError(
            _("Cette invitation a été envoyée à %(email)s : connectez-vous avec ce compte pour y répondre.")
            % {"email": invitation.email}
        )


def open_invitations_for(user):
    """Pending, unexpired invitations sent to one of the person's verified addresses."""
    return (
        Invitation.objects.filter(
            status=InvitationStatus.PENDING,
            expires_at__gt=timezone.now(),
            email__in=_verified_addresses(user),
        )
        .select_related("territory", "invited_by")
        .order_by("expires_at")
    )


def _open_invitation_for(user, token: str) -> Invitation:
    invitation = (
        Invitation.objects.select_for_update().select_related("territory").filter(token=token).first()
    )
    if invitation is None:
        raise DomainError(_("Ce lien d'invitation n'existe pas."))
    invitation_check(user=user, invitation=invitation)
    return invitation


def _record_answer(invitation: Invitation, *, user, status: str) -> None:
    invitation.status = status
    invitation.answered_at = timezone.now()
    invitation.answered_by = user
    invitation.save(update_fields=["status", "answered_at", "answered_by"])


def invitation_accept(*, user, token: str) -> TeamMember:
    with transaction.atomic():
        invitation = _open_invitation_for(user, token)
        member, created = TeamMember.objects.select_for_update().get_or_create(
            territory=invitation.territory,
            user=user,
            defaults={"role": invitation.role, "is_manager": invitation.is_manager},
        )
        if not created:
            # Joined meanwhile by another path: take the invited role, never lose the right to manage.
            member.role = invitation.role
            member.is_manager = member.is_manager or invitation.is_manager
            member.save(update_fields=["role", "is_manager"])
        _record_answer(invitation, user=user, status=InvitationStatus.ACCEPTED)
        audit(actor=user, action="invitation.accept", target=invitation.territory, role=invitation.role)
    return member


def invitation_decline(*, user, token: str) -> Invitation:
    with transaction.atomic():
        invitation = _open_invitation_for(user, token)
        _record_answer(invitation, user=user, status=InvitationStatus.DECLINED)
        audit(actor=user, action="invitation.decline", target=invitation.territory)
    return invitation


def invitation_revoke(*, actor, invitation: Invitation) -> Invitation:
    with transaction.atomic():
        locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if locked.status != InvitationStatus.PENDING:
            raise DomainError(_("Cette invitation n'est plus en attente."))
        locked.status = InvitationStatus.REVOKED
        locked.answered_at = timezone.now()
        locked.save(update_fields=["status", "answered_at"])
        audit(actor=actor, action="invitation.revoke", target=locked.territory, email=locked.email)
    return locked


def _ensure_a_manager_remains(member: TeamMember):
    others = TeamMember.objects.filter(territory_id=member.territory_id, is_manager=True).exclude(
        pk=member.pk
    )
    if not others.exists():
        raise DomainError(_("Le territoire doit garder au moins une personne qui le gère."))


def team_member_change(*, actor, member: TeamMember, role: str, is_manager: bool) -> TeamMember:
    if role not in TeamRole.values:
        raise DomainError(_("Rôle inconnu."))
    with transaction.atomic():
        locked = TeamMember.objects.select_for_update().get(pk=member.pk)
        # Lock the territory's managers so two concurrent changes cannot remove the last one.
        list(TeamMember.objects.select_for_update().filter(territory_id=locked.territory_id, is_manager=True))
        if locked.is_manager and not is_manager:
            _ensure_a_manager_remains(locked)
        locked.role = role
        locked.is_manager = is_manager
        locked.save(update_fields=["role", "is_manager"])
        audit(
            actor=actor,
            action="team.change",
            target=locked.territory,
            member=locked.user.email,
            role=role,
            is_manager=is_manager,
        )
    return locked


def team_member_remove(*, actor, member: TeamMember) -> None:
    with transaction.atomic():
        locked = TeamMember.objects.select_for_update().select_related("user", "territory").get(pk=member.pk)
        list(TeamMember.objects.select_for_update().filter(territory_id=locked.territory_id, is_manager=True))
        if locked.is_manager:
            _ensure_a_manager_remains(locked)
        audit(actor=actor, action="team.remove", target=locked.territory, member=locked.user.email)
        locked.delete()


def team_member_add(*, actor, territory: Territory, user, role: str, is_manager: bool = False) -> TeamMember:
    """Direct addition by an alliance admin (e.g. the first manager of a new territory)."""
    with transaction.atomic():
        member, _created = TeamMember.objects.update_or_create(
            territory=territory, user=user, defaults={"role": role, "is_manager": is_manager}
        )
        audit(
            actor=actor,
            action="team.add",
            target=territory,
            member=user.email,
            role=role,
            is_manager=is_manager,
        )
    return member


def assessment_record(
    *, actor, territory: Territory, date, scores: dict, comment: str = "", discussed_with=None
) -> Assessment:
    """Record a self-assessment; `scores` maps each fundamental to {"level", "evidence", "comment"}."""
    missing = [f for f in Fundamental.values if f not in scores]
    if missing:
        raise DomainError(_("Évaluez chacun des 4 fondamentaux."))
    for value in scores.values():
        if not 0 <= int(value["level"]) <= 4:
            raise DomainError(_("Le niveau de maturité va de 0 à 4."))
    with transaction.atomic():
        assessment = Assessment.objects.create(
            territory=territory,
            date=date,
            recorded_by=actor,
            discussed_with=discussed_with,
            comment=comment.strip(),
        )
        AssessmentScore.objects.bulk_create(
            AssessmentScore(
                assessment=assessment,
                fundamental=fundamental,
                level=int(value["level"]),
                evidence=(value.get("evidence") or "").strip(),
                comment=(value.get("comment") or "").strip(),
            )
            for fundamental, value in sorted(scores.items())
        )
        audit(actor=actor, action="assessment.record", target=territory, date=str(date))
    return assessment


# --- Recommendations of the diagnostic -------------------------------------------------------------------

# How far the projects answering each recommendation have gone: the projects app (built on this one) fills
# it at start-up with a function that maps recommendation ids to the status their projects imply.
RECOMMENDATION_PROGRESS: list[Callable[[list[int]], dict[int, str]]] = []


def recommendations_derived_status(ids: Iterable[int]) -> dict[int, str]:
    """The status each recommendation's projects imply: proposée without a project."""
    ids = list(ids)
    derived = dict.fromkeys(ids, RecommendationStatus.PROPOSED)
    for progress in RECOMMENDATION_PROGRESS:
        derived.update(progress(ids))
    return derived


def recommendations_follow_projects(ids: Iterable[int]) -> None:
    """Bring the status of the recommendations that follow their projects up to date (those set by hand keep
    theirs). Called by the services that link or unlink a project, or move it to another stage."""
    ids = sorted(set(ids))
    if not ids:
        return
    by_status: dict[str, list[int]] = {}
    for pk, status in recommendations_derived_status(ids).items():
        by_status.setdefault(status, []).append(pk)
    for status, pks in by_status.items():
        Recommendation.objects.filter(pk__in=pks, status_set_by_hand=False).exclude(status=status).update(
            status=status
        )


class RecommendationNumberTaken(DomainError):
    """Another recommendation of the diagnostic has this number (shown beside the number field)."""

    field = "number"


def recommendation_save(*, actor, recommendation: Recommendation, status: str | None) -> Recommendation:
    """Record a recommendation of the diagnostic. `status` None hands its status back to the projects that
    answer it; a status sets it by hand (e.g. « écartée », or « réalisée » without a project)."""
    if status is not None and status not in RecommendationStatus.values:
        raise DomainError(_("Statut inconnu."))
    creating = recommendation.pk is None
    with transaction.atomic():
        # The diagnostic's row orders two writes that would give the same number.
        Diagnostic.objects.select_for_update().filter(pk=recommendation.diagnostic_id).first()
        taken = Recommendation.objects.filter(
            diagnostic_id=recommendation.diagnostic_id, number=recommendation.number
        )
        if taken.exclude(pk=recommendation.pk).exists():
            raise RecommendationNumberTaken(_("Ce numéro de recommandation existe déjà."))
        if status is None:
            recommendation.status_set_by_hand = False
            recommendation.status = (
                RecommendationStatus.PROPOSED
                if creating
                else recommendations_derived_status([recommendation.pk])[recommendation.pk]
            )
        else:
            recommendation.status_set_by_hand = True
            recommendation.status = status
        recommendation.save()
        audit(
            actor=actor,
            action="recommendation.create" if creating else "recommendation.update",
            target=recommendation.diagnostic.territory,
            number=recommendation.number,
            status=recommendation.status,
            by_hand=recommendation.status_set_by_hand,
        )
    return recommendation


# Trajectory and diagnostic -----------------------------------------------------------------------------


def milestone_save(*, actor, milestone: Milestone) -> Milestone:
    """Add a step to the territory's trajectory or save the changes made to one (`milestone` carries
    them)."""
    creating = milestone.pk is None
    with transaction.atomic():
        if not creating and not Milestone.objects.select_for_update().filter(pk=milestone.pk).exists():
            raise DomainError(_("Cette étape vient d'être supprimée."))
        milestone.save()
        audit(
            actor=actor,
            action="milestone.create" if creating else "milestone.update",
            target=milestone.territory,
            title=milestone.title,
        )
    return milestone


def milestone_delete(*, actor, milestone: Milestone) -> None:
    with transaction.atomic():
        locked = Milestone.objects.select_for_update().filter(pk=milestone.pk).first()
        if locked is None:
            raise DomainError(_("Cette étape vient d'être supprimée."))
        audit(actor=actor, action="milestone.delete", target=milestone.territory, title=locked.title)
        locked.delete()


def diagnostic_save(*, actor, diagnostic: Diagnostic) -> Diagnostic:
    """Write the territory's diagnostic (one per territory); `diagnostic` carries the values."""
    creating = diagnostic.pk is None
    with transaction.atomic():
        # The territory's row orders two first writes of its diagnostic.
        _lock(diagnostic.territory)
        if creating and Diagnostic.objects.filter(territory=diagnostic.territory).exists():
            raise DomainError(_("Le diagnostic vient d'être créé par quelqu'un d'autre : rechargez la page."))
        diagnostic.save()
        audit(
            actor=actor,
            action="diagnostic.create" if creating else "diagnostic.update",
            target=diagnostic.territory,
        )
    return diagnostic
