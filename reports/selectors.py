"""What a territory's synthesis shows, section by section, for one period and one reader.

Each section reads its capability's own rows (a fixed number of queries, whatever the territory's size) and
keeps only what the reader may see; the public version keeps only what the platform publishes. Each section
also says what it took that not every reader of the territory may see (the audience), so that the document
is only ever served to readers who may see all of it.
"""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import ActorFamily
from cooperation.models import JointProposal
from core import dates
from core.models import AuditEntry
from methods.models import (
    Agreement,
    EvaluationSession,
    EvaluationStatus,
    JournalEntry,
    JournalVisibility,
    Rating,
)
from methods.radar import radar_svg as value_radar_svg
from methods.radar import score_text
from projects.models import Deliverable, DeliverableVersion, Project, Stage
from territories import charts
from territories.dashboard_sections import Section
from territories.models import ROLE_FAMILIES, Assessment, Diagnostic, TeamMember, TeamRole
from territories.selectors import FANTASTIQUES, team_size_label
from trainings.models import Attendance, AwarenessEvent, Effect, Participant, TrainingCycle, TrainingSession

from .access import Reader
from .models import Synthesis

# The sections, in the document's order: (key, title, public). A public section shows what the platform
# publishes (the profile and its trajectory); the others exist only in the full version.
SECTIONS = [
    ("trajectory", gettext_lazy("La trajectoire de transition"), True),
    ("fundamentals", gettext_lazy("Les 4 fondamentaux : l'auto-évaluation"), False),
    ("projects", gettext_lazy("Les projets et leurs livrables"), False),
    ("recommendations", gettext_lazy("Les recommandations du diagnostic"), False),
    ("interpellation", gettext_lazy("Les propositions adressées aux élu·es"), False),
    ("trainings", gettext_lazy("Formations et sensibilisation"), False),
    ("effects", gettext_lazy("Le journal des effets"), False),
    ("journal", gettext_lazy("Les récits de coopération"), False),
    ("evaluations", gettext_lazy("La valeur créée, délibérée"), False),
    ("team", gettext_lazy("L'équipe et la gouvernance"), True),
]
SECTION_KEYS = [key for key, _title, _public in SECTIONS]
PUBLIC_SECTIONS = [key for key, _title, public in SECTIONS if public]
TITLES = {key: title for key, title, _public in SECTIONS}


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date

    @classmethod
    def year(cls, year: int) -> "Period":
        return cls(datetime.date(year, 1, 1), datetime.date(year, 12, 31))

    @property
    def is_calendar_year(self) -> bool:
        return (self.start.month, self.start.day, self.end.month, self.end.day) == (1, 1, 12, 31) and (
            self.start.year == self.end.year
        )

    @property
    def label(self) -> str:
        if self.is_calendar_year:
            return _("Année %(year)s") % {"year": self.start.year}
        return _("Du %(start)s au %(end)s") % {
            "start": dates.long_date(self.start),
            "end": dates.long_date(self.end),
        }

    def bounds(self) -> tuple[datetime.datetime, datetime.datetime]:
        """The period's first and last instants in the platform's time zone, for date-time columns."""
        zone = timezone.get_current_timezone()
        first = datetime.datetime.combine(self.start, datetime.time.min, tzinfo=zone)
        after = datetime.datetime.combine(
            self.end + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone
        )
        return first, after

    def holds(self, moment) -> bool:
        if moment is None:
            return False
        first, after = self.bounds()
        return first <= moment < after


def default_year(today=None) -> int:
    """The year a synthesis covers unless told otherwise: the current one from July, the past one before
    (a territory reports on its year at its end or early in the next)."""
    today = today or timezone.localdate()
    return today.year if today.month >= 7 else today.year - 1


@dataclass
class SynthesisData:
    territory: object
    period: Period
    sections: list
    is_public: bool
    parts: dict = field(default_factory=dict)
    # What this content shows that not every private reader may see (see reports.access.Reader.may_see).
    audience: dict = field(default_factory=dict)

    @property
    def contents(self) -> list:
        return [(key, TITLES[key]) for key in self.sections]


# --- Sections ------------------------------------------------------------------------------------------


def _trajectory(territory, period, reader, public):
    milestones = list(territory.milestones.all())
    return {
        "milestones": milestones,
        "svg": charts.trajectory_svg(
            milestones,
            title=_("Trajectoire de transition de %(name)s") % {"name": territory.name},
            id_prefix="synthesis-trajectory",
        ),
        "in_period": [
            m
            for m in milestones
            if m.start_year <= period.end.year and (m.end_year or m.start_year) >= period.start.year
        ],
    }


def _assessment_levels(assessment) -> dict:
    return {score.fundamental: score.level for score in assessment.scores.all()}


def _fundamentals(territory, period, reader, public):
    """The latest self-assessment by the period's end, beside the one closest to a year before it."""
    assessments = list(
        Assessment.objects.filter(territory=territory, date__lte=period.end)
        .prefetch_related("scores")
        .order_by("-date", "-pk")
    )
    if not assessments:
        return {"latest": None}
    latest, earlier = assessments[0], assessments[1:]
    a_year_before = latest.date - datetime.timedelta(days=365)
    previous = min(earlier, key=lambda a: (abs((a.date - a_year_before).days), -a.pk), default=None)
    current = _assessment_levels(latest)
    before = _assessment_levels(previous) if previous else None
    label = _("Auto-évaluation du %(date)s")
    return {
        "latest": latest,
        "previous": previous,
        "svg": charts.radar_svg(
            current,
            before,
            current_label=label % {"date": dates.long_date(latest.date)},
            previous_label=label % {"date": dates.long_date(previous.date)} if previous else None,
        ),
        "rows": [
            {
                "label": score.get_fundamental_display(),
                "level": score.level,
                "previous": (before or {}).get(score.fundamental),
                "comment": score.comment,
            }
            for score in latest.scores.all()
        ],
    }


def _projects(territory, period, reader, public):
    """The projects by stage today (a stage is not kept by date), and what moved during the period: notes
    submitted, validated, sent back for changes, reopened."""
    first, after = period.bounds()
    projects = list(
        Project.objects.filter(territory=territory)
        .order_by("title", "pk")
        .only("pk", "title", "stage", "created_at", "territory_id")
    )
    ids = [p.pk for p in projects]
    events = defaultdict(list)
    versions = (
        DeliverableVersion.objects.filter(deliverable__project_id__in=ids)
        .filter(
            Q(submitted_at__gte=first, submitted_at__lt=after)
            | Q(decided_at__gte=first, decided_at__lt=after)
        )
        .select_related("deliverable")
        .only(
            "number", "submitted_at", "decision", "decided_at", "deliverable__kind", "deliverable__project_id"
        )
    )
    for version in versions:
        deliverable = version.deliverable
        if period.holds(version.submitted_at):
            events[deliverable.project_id].append(
                (
                    version.submitted_at,
                    deliverable.get_kind_display(),
                    _("soumise (version %(n)s)") % {"n": version.number},
                )
            )
        if period.holds(version.decided_at) and version.decision:
            what = (
                _("validée")
                if version.decision == DeliverableVersion.Decision.VALIDATED
                else _("renvoyée pour être reprise")
            )
            events[deliverable.project_id].append((version.decided_at, deliverable.get_kind_display(), what))
    deliverables = {
        str(d.pk): d for d in Deliverable.objects.filter(project_id__in=ids).only("pk", "kind", "project_id")
    }
    reopenings = AuditEntry.objects.filter(
        action="deliverable.reopen",
        target_type=ContentType.objects.get_for_model(Deliverable),
        target_id__in=list(deliverables),
        created_at__gte=first,
        created_at__lt=after,
    ).only("created_at", "target_id")
    for entry in reopenings:
        deliverable = deliverables[entry.target_id]
        events[deliverable.project_id].append(
            (entry.created_at, deliverable.get_kind_display(), _("rouverte"))
        )
    by_stage = Counter(p.stage for p in projects)
    return {
        "stages": [(stage.label, by_stage.get(stage.value, 0)) for stage in Stage],
        "projects": [
            {"project": p, "events": sorted(events.get(p.pk, []), key=lambda e: e[0])} for p in projects
        ],
        "moved": sum(1 for p in projects if events.get(p.pk)),
        "event_count": sum(len(e) for e in events.values()),
    }


def _recommendations(territory, period, reader, public):
    diagnostic = (
        Diagnostic.objects.filter(territory=territory)
        .prefetch_related(
            "recommendations",
            Prefetch(
                "recommendations__projects",
                queryset=Project.objects.only("pk", "title", "stage").order_by("title"),
            ),
        )
        .first()
    )
    return {
        "diagnostic": diagnostic,
        "recommendations": list(diagnostic.recommendations.all()) if diagnostic else [],
    }


def _interpellation(territory, period, reader, public, audience):
    """The proposals addressed to the élus during the period, answered in it, or still waiting in it; their
    text and the answer's only for those who read them on the platform."""
    first, after = period.bounds()
    now = timezone.now()
    proposals = list(
        JointProposal.objects.filter(crossing__territory=territory, addressed_at__lt=after)
        .filter(Q(addressed_at__gte=first) | Q(answered_at__isnull=True) | Q(answered_at__gte=first))
        .select_related("crossing__group_a", "crossing__group_b", "answer")
        .order_by("addressed_at", "pk")
    )
    rows, readable = [], []
    for proposal in proposals:
        answered_in_time = proposal.answered_at is not None and proposal.answered_at < after
        until = proposal.answered_at if answered_in_time else min(after, now)
        reads = reader.reads_proposal(proposal)
        if reads:
            readable.append(proposal.pk)
        answer = getattr(proposal, "answer", None) if answered_in_time else None
        rows.append(
            {
                "proposal": proposal,
                "answer": answer,
                "answered": answered_in_time,
                "wait_days": max((until - proposal.addressed_at).days, 0),
                "readable": reads,
            }
        )
    if readable:
        audience["proposals"] = readable
    waits = [row["wait_days"] for row in rows if row["answered"]]
    return {
        "rows": rows,
        "answered": len(waits),
        "waiting": len(rows) - len(waits),
        "average_wait": round(sum(waits) / len(waits)) if waits else None,
    }


def _trainings(territory, period, reader, public):
    """The cycles that ran during the period, with their sessions and trainee-days in it, and the awareness
    events of the period."""
    cycles = list(
        TrainingCycle.objects.filter(
            territory=territory, start_date__lte=period.end, end_date__gte=period.start
        )
        .annotate(participant_count=Count("participants", distinct=True))
        .order_by("start_date", "pk")
    )
    sessions = dict(
        TrainingSession.objects.filter(cycle__in=cycles, date__gte=period.start, date__lte=period.end)
        .order_by()
        .values("cycle")
        .annotate(n=Count("pk"))
        .values_list("cycle", "n")
    )
    days = dict(
        Attendance.objects.filter(
            session__cycle__in=cycles, session__date__gte=period.start, session__date__lte=period.end
        )
        .order_by()
        .values("session__cycle")
        .annotate(n=Count("pk"))
        .values_list("session__cycle", "n")
    )
    for cycle in cycles:
        cycle.sessions_in_period = sessions.get(cycle.pk, 0)
        cycle.trainee_days = days.get(cycle.pk, 0)
    events = list(
        AwarenessEvent.objects.filter(
            territory=territory, date__gte=period.start, date__lte=period.end
        ).order_by("date", "pk")
    )
    trainees = (
        Participant.objects.filter(cycle__in=cycles).values("name", "organisation").distinct().count()
        if cycles
        else 0
    )
    return {
        "cycles": cycles,
        "events": events,
        "trainees": trainees,
        "trainee_days": sum(days.values()),
        "attendees": sum(e.attendees for e in events),
    }


def _effects(territory, period, reader, public):
    effects = list(
        Effect.objects.filter(
            territory=territory, observed_on__gte=period.start, observed_on__lte=period.end
        ).order_by("observed_on", "pk")
    )
    positive = [e for e in effects if e.is_positive]
    negative = [e for e in effects if not e.is_positive]
    rows = [
        (positive[i] if i < len(positive) else None, negative[i] if i < len(negative) else None)
        for i in range(max(len(positive), len(negative)))
    ]
    return {"rows": rows, "positive": len(positive), "negative": len(negative)}


def _journal(territory, period, reader, public, audience):
    """The récits of the period: those kept to the team only for the team; the others shared."""
    entries = JournalEntry.objects.filter(
        territory=territory, happened_on__gte=period.start, happened_on__lte=period.end
    ).select_related("project")
    if not reader.is_team:
        entries = entries.filter(visibility=JournalVisibility.SHARED)
    entries = list(entries.order_by("happened_on", "pk"))
    if any(e.visibility == JournalVisibility.TEAM for e in entries):
        audience["team_entries"] = True
    return {"entries": entries}


def _evaluations(territory, period, reader, public):
    """The deliberations on the value created closed during the period, each with its radar."""
    first, after = period.bounds()
    sessions = list(
        EvaluationSession.objects.filter(
            territory=territory, status=EvaluationStatus.CLOSED, closed_at__gte=first, closed_at__lt=after
        )
        .select_related("project")
        .prefetch_related(
            "dimensions",
            Prefetch("ratings", queryset=Rating.objects.only("pk", "session_id", "dimension_id", "score")),
            Prefetch("agreements", queryset=Agreement.objects.select_related("dimension")),
        )
        .annotate(participant_count=Count("participants", distinct=True))
        .order_by("closed_at", "pk")
    )
    return {
        "sessions": [
            {
                "session": session,
                "svg": value_radar_svg(session, id_prefix=f"synthesis-value-{session.pk}"),
                "agreements": [
                    {"agreement": a, "score": score_text(a.score)} for a in session.agreements.all()
                ],
            }
            for session in sessions
        ]
    }


def _team(territory, period, reader, public):
    """The team by family of the 4 Fantastiques (its names for the full version); the governance bodies and
    the size of the technical team as the public profile gives them."""
    data = {
        "governance": list(territory.governance_bodies.all()),
        "team_size": team_size_label(territory),
        "facilitators": [
            u.get_full_name() or u.email for u in territory.facilitators.order_by("full_name", "email")
        ]
        if not public
        else [],
    }
    if public:
        return data
    members = list(
        TeamMember.objects.filter(territory=territory).select_related("user").order_by("user__full_name")
    )
    families = {family: [] for family in FANTASTIQUES}
    for member in members:
        families.setdefault(ROLE_FAMILIES[TeamRole(member.role)], []).append(member)
    data["families"] = [
        {"label": ActorFamily(family).label, "members": people, "count": len(people)}
        for family, people in families.items()
    ]
    data["count"] = len(members)
    return data


BUILDERS = {
    "trajectory": _trajectory,
    "fundamentals": _fundamentals,
    "projects": _projects,
    "recommendations": _recommendations,
    "trainings": _trainings,
    "effects": _effects,
    "evaluations": _evaluations,
    "team": _team,
}
# The sections whose content depends on who reads, beyond seeing the territory's private pages.
READER_BUILDERS = {"interpellation": _interpellation, "journal": _journal}


def synthesis_data(*, territory, period: Period, sections, reader, public: bool) -> SynthesisData:
    """The content of the synthesis; the public version keeps only the public sections, and so does the
    synthesis of someone who does not see the territory's private pages."""
    public = public or not reader.sees_private
    wanted = [key for key in SECTION_KEYS if key in sections and (key in PUBLIC_SECTIONS or not public)]
    data = SynthesisData(territory=territory, period=period, sections=wanted, is_public=public)
    for key in wanted:
        if key in READER_BUILDERS:
            data.parts[key] = READER_BUILDERS[key](territory, period, reader, public, data.audience)
        else:
            data.parts[key] = BUILDERS[key](territory, period, reader, public)
    if public:
        data.audience = {"public": True}
    return data


# --- The dashboard's link --------------------------------------------------------------------------------


def latest_synthesis_for(reader) -> Synthesis | None:
    """The latest synthesis of the territory this reader may read (a few are looked at: one asked for by a
    colleague with more rights is skipped)."""
    # Its documents are not read: the dashboard links the synthesis's page, which offers them.
    for synthesis in Synthesis.objects.filter(territory=reader.territory)[:10]:
        if reader.may_see(synthesis.audience):
            return synthesis
    return None


def dashboard_section(request, territory, rights) -> Section:
    """The territory dashboard's section (registered in ReportsConfig.ready): the latest synthesis this
    reader may read, and the way to ask for one."""
    reader = Reader(user=request.user, territory=territory, rights=rights)
    return Section(
        template="reports/dashboard_section.html",
        context={"territory": territory, "latest": latest_synthesis_for(reader)},
    )
