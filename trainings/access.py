"""Who may read and write a territory's trainings, awareness events and effects: its team, its facilitators
and the admins (the territory's contributors, see territories.access); nothing of it is public. The pages
of a whole territory use `territories.access.get_territory_for_contributing` directly."""

from django.http import Http404

from territories.access import get_territory_for_contributing

from .models import AwarenessEvent, Effect, Participant, TrainingCycle, TrainingSession


def _checked(user, obj):
    """The object and the viewer's rights on its territory: 404 when the territory is private and not theirs,
    403 when it is published (its profile is public, what it does and observes is not)."""
    if obj is None:
        raise Http404
    territory, rights = get_territory_for_contributing(user, obj.territory_id)
    obj.territory = territory
    return obj, rights


def get_cycle_for_user(user, pk) -> tuple[TrainingCycle, object]:
    cycle = TrainingCycle.objects.filter(pk=pk).first()
    return _checked(user, cycle)


def get_session_for_user(user, cycle_pk, session_pk) -> tuple[TrainingSession, object]:
    cycle, rights = get_cycle_for_user(user, cycle_pk)
    session = TrainingSession.objects.filter(cycle=cycle, pk=session_pk).first()
    if session is None:
        raise Http404
    session.cycle = cycle
    return session, rights


def get_participant_for_user(user, cycle_pk, participant_pk) -> tuple[Participant, object]:
    cycle, rights = get_cycle_for_user(user, cycle_pk)
    participant = Participant.objects.filter(cycle=cycle, pk=participant_pk).first()
    if participant is None:
        raise Http404
    participant.cycle = cycle
    return participant, rights


def get_awareness_event_for_user(user, pk) -> tuple[AwarenessEvent, object]:
    event = AwarenessEvent.objects.filter(pk=pk).first()
    return _checked(user, event)


def get_effect_for_user(user, pk) -> tuple[Effect, object]:
    effect = Effect.objects.filter(pk=pk).first()
    return _checked(user, effect)
