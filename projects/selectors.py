"""The queries of the project lists and of the project page, each a fixed number of SQL queries whatever
the number of projects, deliverables or comments."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.expressions import ArraySubquery
from django.db import connection
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    Min,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    When,
    Window,
)
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User
from core.models import AuditEntry
from core.todo import TODO_LIMIT, TodoItem, TodoList
from territories.models import Recommendation, RecommendationStatus, TeamRole, Territory

from .access import projects_visible_to
from .models import (
    Answer,
    AnswerRevision,
    Comment,
    Deliverable,
    DeliverableKind,
    DeliverableStatus,
    DeliverableVersion,
    Project,
    Question,
    QuestionSet,
    Responsibility,
    Stage,
    Stakeholder,
    SuccessCriterion,
)

HISTORY_LENGTH = 30
# Search terms beyond this many are ignored: each one is a condition on every row.
SEARCH_WORDS = 6


def _with_deliverables(projects):
    deliverables = Deliverable.objects.only(
        "pk", "project_id", "kind", "status", "revision", "submitted_at", "validated_at"
    ).order_by("pk")
    return projects.select_related("territory", "lead").prefetch_related(
        "themes", Prefetch("deliverables", queryset=deliverables)
    )


def filter_projects(projects, filters: dict):
    """Apply the cleaned filters of ProjectFilterForm; many-to-many ones through subqueries, so that a row is
    never repeated."""
    if filters.get("stage"):
        projects = projects.filter(stage=filters["stage"])
    if filters.get("theme"):
        projects = projects.filter(
            pk__in=Project.themes.through.objects.filter(theme=filters["theme"]).values("project_id")
        )
    if filters.get("territory"):
        projects = projects.filter(territory=filters["territory"])
    if filters.get("facilitator"):
        projects = projects.filter(
            pk__in=Project.facilitators.through.objects.filter(user=filters["facilitator"]).values(
                "project_id"
            )
        )
    for word in (filters.get("q") or "").split()[:SEARCH_WORDS]:
        projects = projects.filter(title__unaccent__icontains=word)
    return projects


def projects_for_list(projects, filters: dict):
    return _with_deliverables(filter_projects(projects, filters)).order_by("-updated_at", "-pk")


def my_projects(user):
    """The projects one leads, writes or is assigned to review."""
    mine = Q(lead=user) | Q(members=user) | Q(facilitators=user)
    return Project.objects.filter(pk__in=Project.objects.filter(mine).values("pk"))


def filter_territories(user):
    """The territories offered by the filters: those whose projects the user may see."""
    visible = projects_visible_to(user).values("territory_id")
    return Territory.objects.filter(pk__in=visible).order_by("name")


# What the review queue shows of each deliverable, as columns of its statement: PostgreSQL computes them after
# the sort and the page's LIMIT, for the rows shown only.
_QUEUE_COUNTS = {
    "open_threads": "SELECT COUNT(*) FROM projects_comment c"
    " WHERE c.deliverable_id = projects_deliverable.id AND c.parent_id IS NULL AND c.resolved_at IS NULL",
    "version_number": "SELECT MAX(v.number) FROM projects_deliverableversion v"
    " WHERE v.deliverable_id = projects_deliverable.id",
}


def review_queue(user, filters: dict):
    """Submitted deliverables, the longest waiting first: those of one's assigned projects, all for admins;
    each with its open threads and its latest version number (`open_threads`, `version_number`), counted
    in the same statement for the rows of the page read."""
    deliverables = Deliverable.objects.filter(status=DeliverableStatus.SUBMITTED)
    if not user.is_alliance_admin:
        assigned = Project.facilitators.through.objects.filter(user=user).values("project_id")
        deliverables = deliverables.filter(project__in=assigned)
    if filters:
        projects = filter_projects(Project.objects.all(), filters)
        deliverables = deliverables.filter(project__in=projects.values("pk"))
    counts = {name: RawSQL(f"({sql})", []) for name, sql in _QUEUE_COUNTS.items()}  # noqa: S611
    return deliverables.select_related("project__territory").annotate(**counts).order_by("submitted_at", "pk")


# What the review queue's table shows of each deliverable (see projects.queue).
QUEUE_ROW = (
    "pk",
    "project_id",
    "kind",
    "revision",
    "submitted_at",
    "version_number",
    "open_threads",
    "project__title",
    "project__territory__name",
)


def review_queue_rows(user, filters: dict):
    """The review queue's rows (`review_queue`) as named tuples of `QUEUE_ROW`: the page builds no model
    instance per row, which cost more than the query's own time."""
    return review_queue(user, filters).values_list(*QUEUE_ROW, named=True)


# The territory's (%s) projects counted by stage: written in SQL, as the ORM took longer to compose this
# grouped count than the database to answer it, on every view of the dashboard.
_STAGE_COUNTS_SQL = "SELECT stage, COUNT(*) FROM projects_project WHERE territory_id = %s GROUP BY stage"


def projects_by_stage(territory) -> list[tuple[str, str, int]]:
    """(stage, label, number of projects) for every stage, for the territory's dashboard."""
    with connection.cursor() as cursor:
        cursor.execute(_STAGE_COUNTS_SQL, [territory.pk])
        counts = dict(cursor.fetchall())
    return [(stage.value, stage.label, counts.get(stage.value, 0)) for stage in Stage]


# Counts of a deliverable's row, in SQL: the project page builds them on every view, and composing them with
# the ORM cost more than counting.
_DELIVERABLE_COUNTS = {
    "open_threads": "SELECT COUNT(*) FROM projects_comment c"
    " WHERE c.deliverable_id = projects_deliverable.id AND c.parent_id IS NULL AND c.resolved_at IS NULL",
    "comment_count": "SELECT COUNT(*) FROM projects_comment c"
    " WHERE c.deliverable_id = projects_deliverable.id",
    "version_count": "SELECT COUNT(*) FROM projects_deliverableversion v"
    " WHERE v.deliverable_id = projects_deliverable.id",
}


def project_deliverables(project) -> list[tuple[str, str, Deliverable | None]]:
    """The three deliverables in the method's order, each with its open threads, comments and versions
    counted; one that is not open yet is None."""
    counts = {name: RawSQL(f"({sql})", []) for name, sql in _DELIVERABLE_COUNTS.items()}  # noqa: S611
    deliverables = {
        d.kind: d
        for d in Deliverable.objects.filter(project=project).select_related("reopened_by").annotate(**counts)
    }
    for deliverable in deliverables.values():
        # The rights read the project's stage through the deliverable: no statement per card.
        deliverable.project = project
    return [(kind.value, kind.label, deliverables.get(kind.value)) for kind in DeliverableKind.ordered()]


# The people linked to a project (its members, its facilitators, its lead), each once, with whether they are
# on its team, whether they are assigned to it, and their role in the territory's team.
_PEOPLE_SQL = """
SELECT u.*,
    EXISTS(SELECT 1 FROM projects_project_members m
        WHERE m.project_id = %(project)s AND m.user_id = u.id) AS on_team,
    EXISTS(SELECT 1 FROM projects_project_facilitators f
        WHERE f.project_id = %(project)s AND f.user_id = u.id) AS assigned,
    (SELECT t.role FROM territories_teammember t
        WHERE t.territory_id = %(territory)s AND t.user_id = u.id LIMIT 1) AS team_role
FROM accounts_user u
WHERE u.id IN (
    SELECT user_id FROM projects_project_members WHERE project_id = %(project)s
    UNION SELECT user_id FROM projects_project_facilitators WHERE project_id = %(project)s
    UNION SELECT %(lead)s
)
ORDER BY u.full_name, u.email
"""


def project_people(project) -> tuple[list[dict], list]:
    """The project's team (the lead first, then the members, each with their role in the territory's team)
    and its assigned facilitators, in one statement: the people linked to the project, each read once.

    In SQL: the ORM spent several times longer composing this statement's subqueries than PostgreSQL
    spends answering it."""
    people = list(
        User.objects.raw(
            _PEOPLE_SQL,
            {"project": project.pk, "lead": project.lead_id, "territory": project.territory_id},
        )
    )
    roles = dict(TeamRole.choices)
    team = [
        {"user": user, "is_lead": user.pk == project.lead_id, "role": roles.get(user.team_role, "")}
        for user in people
        if user.pk == project.lead_id or user.on_team
    ]
    team.sort(key=lambda person: not person["is_lead"])  # the lead first, the others in their order
    return team, [user for user in people if user.assigned]


def project_history(project, deliverables, *, with_private_notes: bool):
    """The last steps of the project and of its deliverables; the private notes' entries only for those who
    may read the notes."""
    types = ContentType.objects.get_for_models(Project, Deliverable)
    entries = AuditEntry.objects.filter(
        Q(target_type=types[Project], target_id=str(project.pk))
        | Q(target_type=types[Deliverable], target_id__in=[str(d.pk) for d in deliverables])
    )
    if not with_private_notes:
        entries = entries.exclude(action="private_note.add")
    entries = list(entries.select_related("actor").order_by("-created_at", "-id")[:HISTORY_LENGTH])
    # A deliverable is named at display time, in the reader's language (its stored name is the French one
    # of the moment of the step); the project by its title, as stored.
    named = {str(d.pk): d for d in deliverables}
    for entry in entries:
        deliverable = named.get(entry.target_id) if entry.target_type_id == types[Deliverable].pk else None
        if deliverable is None:
            entry.shown_target = entry.target_repr
        else:
            entry.shown_target = f"{deliverable.get_kind_display()} — {project}"
    return entries


def recommendation_progress(recommendation_ids) -> dict:
    """The status the projects answering each recommendation imply (territories.services reads it): en cours
    once a project answers it, réalisée once one is launched. An abandoned project answers nothing."""
    links = (
        Project.recommendations.through.objects.filter(recommendation_id__in=list(recommendation_ids))
        .exclude(project__stage=Stage.ABANDONED)
        .values_list("recommendation_id", "project__stage")
    )
    progress = {}
    for recommendation_id, stage in links:
        if stage == Stage.LAUNCHED:
            progress[recommendation_id] = RecommendationStatus.DONE
        else:
            progress.setdefault(recommendation_id, RecommendationStatus.IN_PROGRESS)
    return progress


def projects_answering(recommendations) -> dict:
    """For each recommendation, the projects that answer it, abandoned ones included (one query)."""
    links = (
        Project.recommendations.through.objects.filter(recommendation__in=list(recommendations))
        .select_related("project")
        .order_by("project__title", "project_id")
    )
    answering = {}
    for link in links:
        answering.setdefault(link.recommendation_id, []).append(link.project)
    return answering


# --- « À faire » (composed by « Mon espace ») ---------------------------------------------------------------


def _on_my_team(user) -> Q:
    return Q(lead=user) | Q(members=user)


def _my_projects(user):
    """The projects one leads or writes, abandoned ones aside."""
    mine = Project.objects.filter(_on_my_team(user)).exclude(stage=Stage.ABANDONED)
    return Project.objects.filter(pk__in=mine.values("pk"))


def notes_to_write(user, *, limit: int = TODO_LIMIT) -> tuple[list, int]:
    """The notes the person's projects are writing or must revise (« À reprendre » first, the oldest first),
    each with the reviewer's last message; and how many there are. One query."""
    latest = DeliverableVersion.objects.filter(deliverable=OuterRef("pk")).order_by("-number")
    notes = (
        Deliverable.objects.filter(
            project__in=_my_projects(user).values("pk"),
            status__in=[DeliverableStatus.DRAFT, DeliverableStatus.CHANGES_REQUESTED],
        )
        .select_related("project__territory")
        .annotate(
            total=Window(Count("pk")),
            decision=Subquery(latest.values("decision")[:1]),
            decision_message=Subquery(latest.values("decision_message")[:1]),
            decided_at=Subquery(latest.values("decided_at")[:1]),
            decided_by_name=Subquery(latest.values("decided_by__full_name")[:1]),
        )
        .annotate(
            waiting_since=Case(
                When(status=DeliverableStatus.CHANGES_REQUESTED, then=F("decided_at")),
                default=F("created_at"),
            ),
        )
        .order_by(
            Case(When(status=DeliverableStatus.CHANGES_REQUESTED, then=0), default=1),
            "waiting_since",
            "pk",
        )[:limit]
    )
    notes = list(notes)
    return notes, (notes[0].total if notes else 0)


def _thread_awaits(user):
    """Open threads (a root comment and its replies) that wait for the person: on the notes of their projects,
    the last word is not the project team's (a question of the facilitators); anywhere they may read, they
    were mentioned and have not written in the thread since."""
    thread = Q(pk=OuterRef("pk")) | Q(parent_id=OuterRef("pk"))
    last = Comment.objects.filter(thread).order_by("-created_at", "-pk")
    last_mention = Comment.objects.filter(thread, mentions=user).order_by("-created_at")
    my_last = Comment.objects.filter(thread, author=user).order_by("-created_at")
    team = Project.members.through.objects.filter(
        project_id=OuterRef("deliverable__project_id"), user_id=OuterRef("last_author")
    )
    roots = Comment.objects.filter(
        parent=None,
        resolved_at=None,
        deliverable__project__in=projects_visible_to(user).exclude(stage=Stage.ABANDONED).values("pk"),
    ).annotate(
        last_author=Subquery(last.values("author")[:1]),
        last_at=Subquery(last.values("created_at")[:1]),
        last_mention_at=Subquery(last_mention.values("created_at")[:1]),
        my_last_at=Subquery(my_last.values("created_at")[:1]),
    )
    awaits_team = (
        Q(deliverable__project__in=_my_projects(user).values("pk"))
        & ~Q(last_author=F("deliverable__project__lead"))
        & ~Exists(team)
    )
    awaits_me = Q(last_mention_at__isnull=False) & (
        Q(my_last_at__isnull=True) | Q(my_last_at__lt=F("last_mention_at"))
    )
    return roots.filter(awaits_team | awaits_me)


def threads_awaiting(user, *, limit: int = TODO_LIMIT) -> tuple[list, int]:
    """The notes holding open threads that wait for the person (see `_thread_awaits`), the longest waiting
    first, each with its number of such threads; and how many notes there are. One query."""
    per_note = list(
        _thread_awaits(user)
        .order_by()
        .values(
            "deliverable_id", "deliverable__kind", "deliverable__project_id", "deliverable__project__title"
        )
        .annotate(n=Count("pk"), since=Min("last_at"))
        .order_by("since", "deliverable_id")
    )
    return per_note[:limit], len(per_note)


def review_waiting(user, *, limit: int = TODO_LIMIT) -> tuple[list, int]:
    """The head of the person's review queue (the rows of the queue's page), and its length. One query."""
    rows = list(review_queue(user, {}).annotate(total=Window(Count("pk")))[:limit])
    return rows, (rows[0].total if rows else 0)


def recommendations_without_project(territory_ids, *, limit: int = TODO_LIMIT) -> tuple[list, int]:
    """The diagnostic's recommendations, in the given territories, that still wait for a project: neither set
    aside nor carried out, and answered by no project under way (the territory dashboard's « Recommandations
    sans projet »). One query."""
    answered = Project.recommendations.through.objects.filter(recommendation_id=OuterRef("pk")).exclude(
        project__stage=Stage.ABANDONED
    )
    rows = list(
        Recommendation.objects.filter(diagnostic__territory_id__in=territory_ids)
        .exclude(status__in=[RecommendationStatus.SET_ASIDE, RecommendationStatus.DONE])
        .exclude(Exists(answered))
        .select_related("diagnostic__territory")
        .annotate(total=Window(Count("pk")))
        .order_by("diagnostic__territory__name", "diagnostic__territory_id", "number")[:limit]
    )
    return rows, (rows[0].total if rows else 0)


def todo_for(user, *, managed_territory_ids=()) -> list[TodoList]:
    """What the person has to do in projects: notes to write or revise and threads waiting for them (the
    project teams), notes to review (facilitators), recommendations without a project (the territories'
    managers). A fixed number of queries whatever the number of projects, notes or comments."""
    lists = []
    notes, count = notes_to_write(user)
    on_a_team = bool(notes) or _my_projects(user).exists()
    if on_a_team:
        lists.append(
            TodoList(
                key="projects.notes",
                title=_("Notes à écrire ou à reprendre"),
                empty=_("Aucune note à écrire : celles de vos projets sont soumises ou validées."),
                items=[_note_item(note) for note in notes],
                count=count,
                more_url=reverse("projects:mine"),
                more_label=_("Tous mes projets"),
                order=10,
            )
        )
    threads, count = threads_awaiting(user)
    if on_a_team or user.is_facilitator or threads:
        lists.append(
            TodoList(
                key="projects.threads",
                title=_("Discussions qui attendent votre réponse"),
                empty=_("Aucune discussion ne vous attend."),
                items=[_thread_item(row) for row in threads],
                count=count,
                order=20,
            )
        )
    if user.is_facilitator:
        waiting, count = review_waiting(user)
        lists.append(
            TodoList(
                key="projects.review",
                title=_("Notes à relire"),
                empty=_("Rien à relire : aucune note de vos projets n'attend de décision."),
                items=[_review_item(deliverable) for deliverable in waiting],
                count=count,
                more_url=reverse("projects:review_queue"),
                more_label=_("Toute la file de relecture"),
                order=5,
            )
        )
    if managed_territory_ids:
        recommendations, count = recommendations_without_project(managed_territory_ids)
        more_url = ""
        if len(managed_territory_ids) == 1:
            # One territory: its dashboard lists the same recommendations.
            dashboard = reverse("territories:dashboard", args=[managed_territory_ids[0]])
            more_url = f"{dashboard}#recommandations-sans-projet"
        lists.append(
            TodoList(
                key="projects.recommendations",
                title=_("Recommandations du diagnostic sans projet"),
                empty=_("Chaque recommandation proposée ou en cours a au moins un projet qui y répond."),
                items=[_recommendation_item(r) for r in recommendations],
                count=count,
                more_url=more_url,
                more_label=_("Le diagnostic du territoire"),
                order=60,
            )
        )
    return lists


def _note_label(deliverable) -> str:
    return _("%(deliverable)s — %(project)s") % {
        "deliverable": deliverable.get_kind_display(),
        "project": deliverable.project.title,
    }


def _note_item(note) -> TodoItem:
    url = reverse("projects:deliverable", args=[note.project_id, note.kind])
    if note.status == DeliverableStatus.CHANGES_REQUESTED:
        return TodoItem(
            label=_note_label(note),
            url=f"{url}#decision-relecture",
            since=note.decided_at,
            age=_("à reprendre depuis %(duration)s"),
            status=note.get_status_display(),
            status_class=f"deliverable-status-{note.status}",
            message=note.decision_message,
            message_by=note.decided_by_name or "",
        )
    return TodoItem(
        label=_note_label(note),
        url=url,
        since=note.created_at,
        age=_("ouverte depuis %(duration)s"),
        status=note.get_status_display(),
        status_class=f"deliverable-status-{note.status}",
    )


def _thread_item(row) -> TodoItem:
    kind = DeliverableKind(row["deliverable__kind"])
    project_id = row["deliverable__project_id"]
    return TodoItem(
        label=_("%(deliverable)s — %(project)s")
        % {"deliverable": kind.label, "project": row["deliverable__project__title"]},
        url=reverse("projects:deliverable", args=[project_id, kind.value]) + "#discussions-ouvertes",
        since=row["since"],
        age=_("en attente depuis %(duration)s"),
        detail=ngettext(
            "%(n)s discussion attend votre réponse",
            "%(n)s discussions attendent votre réponse",
            row["n"],
        )
        % {"n": row["n"]},
    )


def _review_item(deliverable) -> TodoItem:
    return TodoItem(
        label=_note_label(deliverable),
        url=reverse("projects:review", args=[deliverable.project_id, deliverable.kind]),
        since=deliverable.submitted_at,
        age=_("en attente de relecture depuis %(duration)s"),
        detail=deliverable.project.territory.name,
    )


def _recommendation_item(recommendation) -> TodoItem:
    territory = recommendation.diagnostic.territory
    return TodoItem(
        label=_("R%(number)s. %(text)s") % {"number": recommendation.number, "text": recommendation.text},
        url=reverse("projects:create", args=[territory.pk]) + f"?recommandation={recommendation.pk}",
        detail=territory.name,
    )


def territory_dashboard_context(territory, context) -> dict:
    """What the territory's dashboard shows of its projects (registered in ProjectsConfig.ready): the
    projects by stage and, for each recommendation of its diagnostic, the projects that answer it."""
    added = {"projects_by_stage": projects_by_stage(territory)}
    diagnostic = context.get("diagnostic")
    if diagnostic is not None:
        # Read with the diagnostic on the dashboard (territories.selectors.profile_records).
        recommendations = getattr(diagnostic, "recommendation_list", None)
        if recommendations is None:
            recommendations = list(diagnostic.recommendations.all())
        answering = projects_answering(recommendations)
        added["recommendation_rows"] = [(r, answering.get(r.pk, [])) for r in recommendations]
        # What still waits for a project: neither set aside nor carried out without one.
        added["recommendations_without_project"] = [
            r
            for r in recommendations
            if r.status not in (RecommendationStatus.SET_ASIDE, RecommendationStatus.DONE)
            and not any(p.stage != Stage.ABANDONED for p in answering.get(r.pk, []))
        ]
    return added


def in_reader_language(kind: str, content: dict, questions: list[dict]) -> list[dict]:
    """A snapshot's questions (dicts with their number and French text, as projects.diff gives them) with
    the English text of the same question for an English reader: read from the snapshot's own question set,
    which is immutable once published, and only where the French text is the snapshot's; else as stored."""
    language = (translation.get_language() or settings.LANGUAGE_CODE)[:2]
    if language == settings.LANGUAGE_CODE[:2] or not questions:
        return questions
    version = (content or {}).get("question_set_version")
    written = {
        (number, text): text_en
        for number, text, text_en in Question.objects.filter(
            question_set__kind=kind, question_set__version=version, question_set__published_at__isnull=False
        )
        .exclude(text_en="")
        .values_list("number", "text", "text_en")
    }
    return [{**q, "text": written.get((q.get("number"), q.get("text")), q.get("text"))} for q in questions]


# --- The deliverable page -------------------------------------------------------------------------------


def opened_deliverable(project, kind) -> Deliverable | None:
    """The project's deliverable of this kind, or None while it is not open yet."""
    return Deliverable.objects.filter(project=project, kind=kind).first()


def current_question_set(kind) -> QuestionSet | None:
    """The version of the questions in force for this kind of deliverable."""
    return QuestionSet.objects.filter(kind=kind, is_current=True).first()


def part_items(model, deliverable, **extra):
    """The rows of one structured part of the deliverable (`extra` narrows a model two parts share). The
    success criteria carry the titles of the objectives they measure, as a column rather than a prefetch."""
    items = model.objects.filter(deliverable=deliverable, **extra)
    if model is SuccessCriterion:
        titles = (
            SuccessCriterion.objectives.through.objects.filter(successcriterion_id=OuterRef("pk"))
            .order_by("objective__position", "objective_id")
            .values("objective__title")
        )
        items = items.annotate(objective_titles=ArraySubquery(titles))
    return items


def roles_stakeholders(deliverable) -> list[Stakeholder]:
    """The stakeholders the roles matrix lists: those of the project's note de cadrage."""
    return list(
        Stakeholder.objects.filter(
            deliverable__project_id=deliverable.project_id, deliverable__kind=DeliverableKind.CADRAGE
        )
    )


def responsibility_levels(deliverable) -> dict[tuple[int, int], str]:
    """The level of each (stakeholder id, step id) pair of the deliverable's steps."""
    return {
        (r.stakeholder_id, r.step_id): r.level
        for r in Responsibility.objects.filter(step__deliverable=deliverable)
    }


def answer_of(deliverable, question) -> Answer | None:
    """The deliverable's answer to the question, if it has been written."""
    return Answer.objects.filter(deliverable=deliverable, question=question).first()


def answer_with_author(answer_pk) -> Answer:
    """The answer as stored now, with who saved it last (the conflict view's « their » text)."""
    return Answer.objects.select_related("updated_by").get(pk=answer_pk)


def answer_revisions_of(deliverable, question):
    """Every saved text of the deliverable's answer to the question."""
    return AnswerRevision.objects.filter(answer__deliverable=deliverable, answer__question=question)
