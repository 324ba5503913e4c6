"""Reading trainings and effects: the figures of cycles, the attendance grid of a cycle, the "+ / −" table
of effects and the summary on the territory's dashboard. Each costs a fixed number of queries, however many
participants, sessions or effects there are."""

import datetime
from dataclasses import dataclass
from itertools import zip_longest

from django.db import connection
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from core.ical import Item

from .models import Attendance, Effect, Participant, Polarity, TrainingCycle, TrainingSession

DASHBOARD_CYCLES = 3


# A cycle's figures as columns of its row (the cycle aliased "c"): its numbers of participants, of sessions,
# of sessions whose attendance is taken and of attendances (trainee-days). Correlated counts, which do not
# multiply the rows as joined counts would; in SQL, as composing them with the ORM took longer than counting.
_CYCLE_FIGURES = {
    "participant_count": "SELECT COUNT(*) FROM trainings_participant p WHERE p.cycle_id = c.id",
    "session_count": "SELECT COUNT(*) FROM trainings_trainingsession s WHERE s.cycle_id = c.id",
    "taken_count": "SELECT COUNT(*) FROM trainings_trainingsession s"
    " WHERE s.cycle_id = c.id AND s.attendance_taken_at IS NOT NULL",
    "attendance_count": "SELECT COUNT(*) FROM trainings_attendance a"
    " JOIN trainings_trainingsession s ON s.id = a.session_id WHERE s.cycle_id = c.id",
}
_CYCLE_FIELDS = [field.attname for field in TrainingCycle._meta.concrete_fields]
_CYCLE_COLUMNS = ", ".join(
    [f"c.{field.column}" for field in TrainingCycle._meta.concrete_fields]
    + [f"({sql}) AS {name}" for name, sql in _CYCLE_FIGURES.items()]
)
# A territory's (%(territory)s) cycles, the latest first (the model's order), each with its figures.
_CYCLES_SQL = (
    f"SELECT {_CYCLE_COLUMNS} FROM trainings_trainingcycle c"  # noqa: S608 - constant SQL, no input
    " WHERE c.territory_id = %(territory)s ORDER BY c.start_date DESC, c.id DESC"
)


def _cycles_from_rows(rows, db) -> list[TrainingCycle]:
    """Cycles with their figures (`participant_count`, …) from rows of `_CYCLE_COLUMNS`."""
    cycles = []
    width = len(_CYCLE_FIELDS)
    for row in rows:
        cycle = TrainingCycle.from_db(db, _CYCLE_FIELDS, row[:width])
        for name, value in zip(_CYCLE_FIGURES, row[width:], strict=True):
            setattr(cycle, name, value)
        cycle.average_attendance = average_attendance(cycle)
        cycles.append(cycle)
    return cycles


def cycles_with_figures(territory) -> list[TrainingCycle]:
    """The territory's cycles, the latest first, each with its numbers of participants, sessions, sessions
    whose attendance is taken and attendances (trainee-days), and its average attendance, in one query."""
    with connection.cursor() as cursor:
        cursor.execute(_CYCLES_SQL, {"territory": territory.pk})
        return _cycles_from_rows(cursor.fetchall(), connection.alias)


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


# The territory's (%(territory)s) figures beside its latest cycles (one row per cycle, or a row of figures
# alone without any): one statement, in SQL (the ORM took longer to compose these subqueries than the
# database to count).
_TERRITORY_FIGURES = (
    "cycle_count",
    "awareness_count",
    "awareness_attendees",
    "positive_effects",
    "negative_effects",
)
_TERRITORY_SUMMARY_SQL = f"""
SELECT f.*, c.* FROM (SELECT
    (SELECT COUNT(*) FROM trainings_trainingcycle WHERE territory_id = %(territory)s) AS cycle_count,
    (SELECT COUNT(*) FROM trainings_awarenessevent WHERE territory_id = %(territory)s) AS awareness_count,
    (SELECT COALESCE(SUM(attendees), 0) FROM trainings_awarenessevent WHERE territory_id = %(territory)s)
        AS awareness_attendees,
    (SELECT COUNT(*) FROM trainings_effect WHERE territory_id = %(territory)s AND polarity = %(positive)s)
        AS positive_effects,
    (SELECT COUNT(*) FROM trainings_effect WHERE territory_id = %(territory)s AND polarity = %(negative)s)
        AS negative_effects
) f LEFT JOIN LATERAL ({_CYCLES_SQL} LIMIT {DASHBOARD_CYCLES}) c ON TRUE
"""  # noqa: S608 - constant SQL, no input


def territory_summary(territory) -> TrainingSummary:
    """What the territory's dashboard shows of its trainings, awareness events and effects (1 query)."""
    params = {
        "territory": territory.pk,
        "positive": Polarity.POSITIVE.value,
        "negative": Polarity.NEGATIVE.value,
    }
    with connection.cursor() as cursor:
        cursor.execute(_TERRITORY_SUMMARY_SQL, params)
        rows = cursor.fetchall()
    width = len(_TERRITORY_FIGURES)
    figures = dict(zip(_TERRITORY_FIGURES, rows[0][:width], strict=True))
    # Without any cycle, the one row's cycle columns are NULL (its id first).
    cycle_rows = [row[width:] for row in rows if row[width] is not None]
    return TrainingSummary(cycles=_cycles_from_rows(cycle_rows, connection.alias), **figures)


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
