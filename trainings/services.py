"""Workflows of trainings, awareness events and the effects journal. Every check of the objects' state is
here: the views show a refused step's message on the form."""

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core import dates
from core.audit import audit
from core.errors import DomainError
from notifications.services import notify

from .models import (
    MAX_CYCLE_DAYS,
    Attendance,
    AwarenessEvent,
    Effect,
    Participant,
    Polarity,
    TrainingCycle,
    TrainingSession,
)

CYCLE_FIELDS = ("title", "partner", "audience", "days", "start_date", "end_date", "description")
AWARENESS_FIELDS = ("title", "date", "audience", "attendees", "partner", "description")
EFFECT_FIELDS = ("polarity", "description", "initiative", "observed_on", "observed_by")


def long_date(value) -> str:
    return dates.long_date(value)


def _clean_text(fields: dict) -> dict:
    return {key: value.strip() if isinstance(value, str) else value for key, value in fields.items()}


# --- Training cycles ---------------------------------------------------------------------------------


def _check_cycle(cycle: TrainingCycle, sessions=()) -> None:
    """The cycle's dates, its number of days and the sessions already planned agree."""
    if not cycle.title:
        raise DomainError(_("Donnez un intitulé au cycle."))
    if cycle.end_date < cycle.start_date:
        raise DomainError(_("La fin du cycle ne peut pas précéder son début."))
    if not 1 <= cycle.days <= MAX_CYCLE_DAYS:
        raise DomainError(_("Un cycle compte de 1 à %(max)s jours de formation.") % {"max": MAX_CYCLE_DAYS})
    if cycle.days > cycle.calendar_days:
        raise DomainError(
            ngettext(
                "Un cycle de %(days)s jours ne tient pas entre le %(start)s et le %(end)s : cette période ne "
                "compte qu'une date.",
                "Un cycle de %(days)s jours ne tient pas entre le %(start)s et le %(end)s : cette période ne "
                "compte que %(dates)s dates.",
                cycle.calendar_days,
            )
            % {
                "days": cycle.days,
                "start": long_date(cycle.start_date),
                "end": long_date(cycle.end_date),
                "dates": cycle.calendar_days,
            }
        )
    sessions = list(sessions)
    if len(sessions) > cycle.days:
        raise DomainError(
            _(
                "Le cycle a déjà %(sessions)s séances : il ne peut pas compter moins de %(sessions)s jours. "
                "Supprimez d'abord les séances en trop."
            )
            % {"sessions": len(sessions)}
        )
    outside = [session for session in sessions if not cycle.covers(session.date)]
    if outside:
        raise DomainError(
            _(
                "La séance du %(date)s sortirait des dates du cycle : déplacez les dates du cycle "
                "ou supprimez d'abord cette séance."
            )
            % {"date": long_date(outside[0].date)}
        )


def cycle_create(*, actor, territory, **fields) -> TrainingCycle:
    cycle = TrainingCycle(territory=territory, created_by=actor, **_clean_text(fields))
    _check_cycle(cycle)
    with transaction.atomic():
        cycle.save()
        audit(actor=actor, action="training_cycle.create", target=cycle, territory=territory.pk)
    return cycle


def cycle_update(*, actor, cycle: TrainingCycle, **fields) -> TrainingCycle:
    with transaction.atomic():
        locked = TrainingCycle.objects.select_for_update().get(pk=cycle.pk)
        for key, value in _clean_text(fields).items():
            if key not in CYCLE_FIELDS:
                raise ValueError(f"Unknown field of a training cycle: {key}")
            setattr(locked, key, value)
        _check_cycle(locked, locked.sessions.all())
        locked.save()
        audit(actor=actor, action="training_cycle.update", target=locked, fields=sorted(fields))
    locked.territory = cycle.territory
    return locked


def cycle_delete(*, actor, cycle: TrainingCycle) -> None:
    with transaction.atomic():
        audit(actor=actor, action="training_cycle.delete", target=cycle.territory, title=cycle.title)
        cycle.delete()


# --- Sessions ----------------------------------------------------------------------------------------


def session_add(*, actor, cycle: TrainingCycle, date, topic: str = "") -> TrainingSession:
    with transaction.atomic():
        # Locking the cycle: two people adding the last day at once cannot both succeed.
        locked = TrainingCycle.objects.select_for_update().get(pk=cycle.pk)
        if not locked.covers(date):
            raise DomainError(
                _("Le %(date)s est en dehors des dates du cycle, du %(start)s au %(end)s.")
                % {
                    "date": long_date(date),
                    "start": long_date(locked.start_date),
                    "end": long_date(locked.end_date),
                }
            )
        planned = locked.sessions.count()
        if planned >= locked.days:
            raise DomainError(
                ngettext(
                    "Le cycle compte %(days)s jour et il a déjà sa séance : augmentez le nombre de jours du "
                    "cycle pour en ajouter une.",
                    "Le cycle compte %(days)s jours et ils ont tous leur séance : augmentez le nombre de "
                    "jours du cycle pour en ajouter une.",
                    locked.days,
                )
                % {"days": locked.days}
            )
        if locked.sessions.filter(date=date).exists():
            raise DomainError(
                _("Une séance de ce cycle a déjà lieu le %(date)s.") % {"date": long_date(date)}
            )
        session = TrainingSession.objects.create(cycle=locked, date=date, topic=topic.strip())
        audit(actor=actor, action="training_session.add", target=locked, date=str(date))
    session.cycle = cycle
    return session


def session_remove(*, actor, session: TrainingSession) -> None:
    with transaction.atomic():
        audit(actor=actor, action="training_session.remove", target=session.cycle, date=str(session.date))
        session.delete()


# --- Participants ------------------------------------------------------------------------------------


def _registration_notice(*, actor, cycle, participants):
    people = [participant.user for participant in participants if participant.user_id]
    if people:
        notify(
            kind="trainings.registered",
            recipients=people,
            actor=actor,
            message="trainings.registered",
            params={"title": cycle.title},
            url=cycle.get_absolute_url(),
            excerpt_message="trainings.registered_dates",
            excerpt_params={
                "start": cycle.start_date.isoformat(),
                "end": cycle.end_date.isoformat(),
                "days": cycle.days,
            },
        )


def participants_register(*, actor, cycle: TrainingCycle, people) -> list[Participant]:
    """Register people, each a dict of name, organisation, function and optionally user; all or none."""
    participants = []
    for person in people:
        person = _clean_text(person)
        user = person.get("user")
        name = person.get("name") or (user.get_full_name() if user else "")
        if not name:
            raise DomainError(_("Indiquez le nom de chaque personne à inscrire."))
        participants.append(
            Participant(
                cycle=cycle,
                name=name[:200],
                organisation=(person.get("organisation") or "")[:200],
                function=(person.get("function") or (user.function if user else "") or "")[:200],
                user=user,
            )
        )
    seen = set()
    for participant in participants:
        key = (participant.name.lower(), participant.organisation.lower())
        if key in seen:
            raise DomainError(_("%(name)s figure deux fois dans la liste.") % {"name": participant.name})
        seen.add(key)
    try:
        with transaction.atomic():
            for participant in participants:
                participant.save()
            audit(
                actor=actor,
                action="training_participant.register",
                target=cycle,
                names=[participant.name for participant in participants],
            )
            _registration_notice(actor=actor, cycle=cycle, participants=participants)
    except IntegrityError as exc:
        raise DomainError(_duplicate_message(cycle, participants)) from exc
    return participants


def _duplicate_message(cycle, participants) -> str:
    for participant in participants:
        if participant.user_id and cycle.participants.filter(user_id=participant.user_id).exists():
            return _("%(name)s est déjà inscrit·e à ce cycle avec son compte.") % {"name": participant.name}
        if cycle.participants.filter(
            name__iexact=participant.name, organisation__iexact=participant.organisation
        ).exists():
            return _("%(name)s est déjà inscrit·e à ce cycle.") % {"name": participant.name}
    return _("Une de ces personnes vient d'être inscrite par quelqu'un d'autre : rechargez la page.")


def participant_remove(*, actor, participant: Participant) -> None:
    with transaction.atomic():
        audit(
            actor=actor, action="training_participant.remove", target=participant.cycle, name=participant.name
        )
        participant.delete()


# --- Attendance --------------------------------------------------------------------------------------


def attendance_record(*, actor, session: TrainingSession, present_ids) -> int:
    """Record who was present at the session (the others were absent); returns how many were present."""
    if session.date > timezone.localdate():
        raise DomainError(
            _(
                "La séance du %(date)s n'a pas encore eu lieu : les présences se relèvent le jour même "
                "ou après."
            )
            % {"date": long_date(session.date)}
        )
    present_ids = set(present_ids)
    registered = set(Participant.objects.filter(cycle_id=session.cycle_id).values_list("pk", flat=True))
    if not present_ids <= registered:
        raise DomainError(_("Seules les personnes inscrites au cycle peuvent être présentes à ses séances."))
    with transaction.atomic():
        locked = TrainingSession.objects.select_for_update().get(pk=session.pk)
        locked.attendances.exclude(participant_id__in=present_ids).delete()
        already = set(locked.attendances.values_list("participant_id", flat=True))
        Attendance.objects.bulk_create(
            Attendance(session=locked, participant_id=pk) for pk in sorted(present_ids - already)
        )
        locked.attendance_taken_at = timezone.now()
        locked.save(update_fields=["attendance_taken_at"])
        audit(
            actor=actor,
            action="training_attendance.record",
            target=session.cycle,
            date=str(session.date),
            present=len(present_ids),
        )
    return len(present_ids)


# --- Awareness events --------------------------------------------------------------------------------


def _check_awareness(event: AwarenessEvent) -> None:
    if event.date > timezone.localdate():
        raise DomainError(
            _(
                "Une session de sensibilisation s'enregistre une fois tenue : sa date ne peut pas être "
                "à venir."
            )
        )
    if event.attendees < 1:
        raise DomainError(_("Indiquez combien de personnes étaient présentes (au moins une)."))


def awareness_record(*, actor, territory, **fields) -> AwarenessEvent:
    event = AwarenessEvent(territory=territory, created_by=actor, **_clean_text(fields))
    _check_awareness(event)
    with transaction.atomic():
        event.save()
        audit(actor=actor, action="awareness.record", target=event, attendees=event.attendees)
    return event


def awareness_update(*, actor, event: AwarenessEvent, **fields) -> AwarenessEvent:
    with transaction.atomic():
        locked = AwarenessEvent.objects.select_for_update().get(pk=event.pk)
        for key, value in _clean_text(fields).items():
            if key not in AWARENESS_FIELDS:
                raise ValueError(f"Unknown field of an awareness event: {key}")
            setattr(locked, key, value)
        _check_awareness(locked)
        locked.save()
        audit(actor=actor, action="awareness.update", target=locked, attendees=locked.attendees)
    return locked


def awareness_delete(*, actor, event: AwarenessEvent) -> None:
    with transaction.atomic():
        audit(actor=actor, action="awareness.delete", target=event.territory, title=event.title)
        event.delete()


# --- The effects journal -----------------------------------------------------------------------------


def _check_effect(effect: Effect) -> None:
    if effect.polarity not in Polarity.values:
        raise DomainError(_("Dites si l'effet est positif (+) ou négatif (−)."))
    if not effect.description:
        raise DomainError(_("Décrivez l'effet observé."))
    if effect.observed_on > timezone.localdate():
        raise DomainError(_("Un effet s'inscrit une fois observé : sa date ne peut pas être à venir."))


def _effect_notice(*, actor, effect: Effect):
    territory = effect.territory
    team = [member.user for member in territory.team.select_related("user")]
    notify(
        kind="trainings.effect",
        recipients=[*team, *territory.facilitators.all()],
        actor=actor,
        message="trainings.effect",
        params={
            "sign": "+" if effect.is_positive else "−",
            "name": territory.name,
            "name_article": territory.article,
        },
        url=f"{reverse('trainings:effects', args=[territory.pk])}#effet-{effect.pk}",
        excerpt=effect.description[:300],
    )


def effect_record(*, actor, territory, **fields) -> Effect:
    effect = Effect(territory=territory, recorded_by=actor, **_clean_text(fields))
    _check_effect(effect)
    with transaction.atomic():
        effect.save()
        audit(actor=actor, action="effect.record", target=effect, polarity=effect.polarity)
        _effect_notice(actor=actor, effect=effect)
    return effect


def effect_update(*, actor, effect: Effect, **fields) -> Effect:
    with transaction.atomic():
        locked = Effect.objects.select_for_update().get(pk=effect.pk)
        for key, value in _clean_text(fields).items():
            if key not in EFFECT_FIELDS:
                raise ValueError(f"Unknown field of an effect: {key}")
            setattr(locked, key, value)
        _check_effect(locked)
        locked.save()
        audit(actor=actor, action="effect.update", target=locked, polarity=locked.polarity)
    return locked


def effect_delete(*, actor, effect: Effect) -> None:
    with transaction.atomic():
        audit(
            actor=actor, action="effect.delete", target=effect.territory, description=effect.description[:200]
        )
        effect.delete()
