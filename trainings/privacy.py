"""What the trainings app holds about a person, for their export and the deletion of their account
(accounts.privacy)."""

from django.db.models import F

from accounts.privacy import DELETED_NAME, register, register_erasure

from .models import Attendance, Effect, Participant


@register
def export(user):
    attended = {}
    for participant_id, day in (
        Attendance.objects.filter(participant__user=user)
        .order_by("session__date")
        .values_list("participant_id", "session__date")
    ):
        attended.setdefault(participant_id, []).append(day)
    return {
        "training_registrations": [
            {
                "cycle": participant.cycle.title,
                "territory": participant.cycle.territory.name,
                "name": participant.name,
                "organisation": participant.organisation,
                "function": participant.function,
                "registered_at": participant.registered_at,
                "sessions_attended": attended.get(participant.pk, []),
            }
            for participant in Participant.objects.filter(user=user)
            .select_related("cycle__territory")
            .order_by("registered_at", "pk")
        ],
        "effects_recorded": list(
            Effect.objects.filter(recorded_by=user)
            .order_by("observed_on", "pk")
            .values(
                "polarity",
                "description",
                "initiative",
                "observed_on",
                "observed_by",
                territory_name=F("territory__name"),
            )
        ),
    }


@register_erasure
def erase(user):
    """Registrations stay (the territory counts its trainees and their attendance) but lose the account.

    Their name and function go only when they are the account's (filled from it at registration, or typed
    identically): what the territory typed otherwise is its own record of a trainee, which it would hold
    had the person never had an account. The name gets the account's number because a cycle cannot
    register the same name twice. Likewise an effect the person recorded keeps its observer only when it is
    not the person's name, which the form fills in by default."""
    name = user.get_full_name().strip().lower()
    function = user.function.strip().lower()
    for participant in Participant.objects.filter(user=user):
        if participant.name.strip().lower() == name:
            participant.name = f"{DELETED_NAME} n° {user.pk}"
        if function and participant.function.strip().lower() == function:
            participant.function = ""
        participant.user = None
        participant.save(update_fields=["name", "function", "user"])
    Effect.objects.filter(recorded_by=user, observed_by__iexact=user.get_full_name().strip()).update(
        observed_by=DELETED_NAME
    )
