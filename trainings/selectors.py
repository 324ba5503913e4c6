"""Reading trainings and effects: the figures of cycles, the attendance grid of a cycle, the "+ / −" table
of effects and the summary on the territory's dashboard. Each costs a fixed number of queries, however many
participants, sessions or effects there are."""

import datetime
from dataclasses import dataclass
from itertools import zip_longest

from django.db import connection
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from core.ical import Item

from .models import Attendance, Effect, Participant, Polarity, TrainingSession

DASHBOARD_CYCLES = 3


def _count(queryset, group_by):
    """A correlated count that does not multiply the rows of the outer query (unlike joined Counts)."""
    counted = queryset.order_by().values(group_by).annotate(n=Count("pk")).values("n")[:1]
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def with_figures(cycles):
    """Cycles annotated with their numbers of participants, sessions, sessions whose attendance is taken
    and attendances (trainee-days)."""
    return cycles.annotate(
        participant_count=_count(Participant.objects.filter(cycle=OuterRef("pk")), "cycle"),
        session_count=_count(TrainingSession.objects.filter(cycle=OuterRef("pk")), "cycle"),
        taken_count=_count(
            TrainingSession.objects.filter(cycle=OuterRef("pk"), attendance_taken_at__isnull=False), "cycle"
        ),
        attendance_count=_count(Attendance.objects.filter(session__cycle=OuterRef("pk")), "session__cycle"),
    )


def average_attendance(cycle) -> int | None:
    """People present per session whose attendance was taken, on a cycle from `with_figures`."""
    if not cycle.taken_count:
        return None
    return round(cycle.attendance_count / cycle.taken_count)


@dataclass(frozen=True)
class ParticipantRow:
    participant: Participant
    # One cell per session: True present, False absent, None attendance not taken yet.
    cells: list
    attended: int


@dataclass(frozen=True)
class SessionColumn:
    session: TrainingSession
    present: int | None


@dataclass(frozen=True)
class AttendanceGrid:
    columns: list
    rows: list
    taken: int
    complete: int

    @property
    def trainee_days(self) -> int:
        return sum(row.attended for row in self.rows)


def attendance_grid(cycle) -> AttendanceGrid:
    """Who was present at which session of the cycle, in three queries."""
    sessions = list(cycle.sessions.all())
    participants = list(cycle.participants.select_related("user"))
    present = set(Attendance.objects.filter(session__cycle=cycle).values_list("session_id", "participant_id"))
    taken = [session for session in sessions if session.attendance_taken_at]
    rows = []
    for participant in participants:
        cells = [
            (session.pk, participant.pk) in present if session.attendance_taken_at else None
            for session in sessions
        ]
        rows.append(ParticipantRow(participant, cells, sum(1 for cell in cells if cell)))
    columns = [
        SessionColumn(
            session,
            sum(1 for participant in participants if (session.pk, participant.pk) in present)
            if session.attendance_taken_at
            else None,
        )
        for session in sessions
    ]
    complete = sum(1 for row in rows if taken and row.attended == len(taken))
    return AttendanceGrid(columns=columns, rows=rows, taken=len(taken), complete=complete)


# --- Effects -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EffectsTable:
    """The effects of the territory as a whole or of one pilot initiative, side by side: + on the left,
    − on the right, in the order they were observed."""

    initiative: str
    rows: list
    positive: int
    negative: int


def effects_tables(territory) -> list[EffectsTable]:
    """One table for the territory as a whole (first), then one per pilot initiative, by name."""
    groups: dict[str, tuple[list, list]] = {}
    for effect in Effect.objects.filter(territory=territory).order_by("observed_on", "pk"):
        positive, negative = groups.setdefault(effect.initiative, ([], []))
        (positive if effect.is_positive else negative).append(effect)
    return [
        EffectsTable(
            initiative=initiative,
            rows=list(zip_longest(positive, negative)),
            positive=len(positive),
            negative=len(negative),
        )
        for initiative, (positive, negative) in sorted(
            groups.items(), key=lambda item: (item[0] != "", item[0].lower())
        )
    ]


def initiative_labels(territory) -> list[str]:
    """The pilot initiatives already named on the territory's effects, offered when writing a new one."""
    return list(
        Effect.objects.filter(territory=territory)
        .exclude(initiative="")
        .order_by("initiative")
        .values_list("initiative", flat=True)
        .distinct()
    )


# --- The territory's dashboard -----------------------------------------------------------------------


@dataclass(frozen=True)
class TrainingSummary:
    cycles: list
    cycle_count: int
    awareness_count: int
    awareness_attendees: int
    positive_effects: int
    negative_effects: int


# The territory's (%(territory)s) figures beside its latest cycles: one statement, in SQL (the ORM took longer
# to compose these subqueries than the database to count).
_TERRITORY_FIGURES_SQL = """
SELECT
    (SELECT COUNT(*) FROM trainings_trainingcycle WHERE territory_id = %(territory)s) AS cycle_count,
    (SELECT COUNT(*) FROM trainings_awarenessevent WHERE territory_id = %(territory)s) AS awareness_count,
    (SELECT COALESCE(SUM(attendees), 0) FROM trainings_awarenessevent WHERE territory_id = %(territory)s)
        AS awareness_attendees,
    (SELECT COUNT(*) FROM trainings_effect WHERE territory_id = %(territory)s AND polarity = %(positive)s)
        AS positive_effects,
    (SELECT COUNT(*) FROM trainings_effect WHERE territory_id = %(territory)s AND polarity = %(negative)s)
        AS negative_effects
"""


def territory_summary(territory) -> TrainingSummary:
    """What the territory's dashboard shows of its trainings, awareness events and effects (2 queries)."""
    cycles = list(with_figures(territory.training_cycles.all())[:DASHBOARD_CYCLES])
    for cycle in cycles:
        cycle.average_attendance = average_attendance(cycle)
    params = {
        "territory": territory.pk,
        "positive": Polarity.POSITIVE.value,
        "negative": Polarity.NEGATIVE.value,
    }
    with connection.cursor() as cursor:
        cursor.execute(_TERRITORY_FIGURES_SQL, params)
        names = [column.name for column in cursor.description]
        figures = dict(zip(names, cursor.fetchone(), strict=True))
    return TrainingSummary(cycles=cycles, **figures)


def session_item(session: TrainingSession) -> Item:
    """A training day as an agenda shows it: a whole day, titled with its cycle (and its topic)."""
    cycle = session.cycle
    title = f"{cycle.title} — {session.topic}" if session.topic else cycle.title
    description = "\n".join(part for part in (cycle.partner, cycle.audience) if part)
    return Item(
        kind="seance",
        pk=session.pk,
        title=title,
        start=session.date,
        description=description,
        url=reverse("trainings:cycle_detail", args=[cycle.pk]) + f"#seance-{session.pk}",
    )


def sessions_for_feed(user, past_days=180):
    """The sessions of the cycles a person is registered for, from a few months back on."""
    since = timezone.localdate() - datetime.timedelta(days=past_days)
    return (
        TrainingSession.objects.filter(cycle__participants__user=user, date__gte=since)
        .select_related("cycle")
        .order_by("date", "pk")
        .distinct()
    )


def territory_dashboard_context(territory, context) -> dict:
    """What the territory's dashboard shows of its trainings (registered in TrainingsConfig.ready)."""
    return {"trainings_summary": territory_summary(territory)}


def accounts_for_registration(territory):
    """The accounts a registration may link: the territory's team and its facilitators."""
    return (
        User.objects.filter(Q(territory_roles__territory=territory) | Q(facilitated_territories=territory))
        .filter(is_active=True)
        .distinct()
        .order_by("full_name", "email")
    )
