"""The queries of the project lists and of the project page, each a fixed number of SQL queries whatever
the number of projects, deliverables or comments."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, IntegerField, Max, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce

from core.audit import history_of
from core.models import AuditEntry
from territories.models import RecommendationStatus, TeamMember, Territory

from .access import projects_visible_to
from .models import (
    Comment,
    Deliverable,
    DeliverableKind,
    DeliverableStatus,
    DeliverableVersion,
    Project,
    Stage,
)

HISTORY_LENGTH = 30
# Search terms beyond this many are ignored: each one is a condition on every row.
SEARCH_WORDS = 6


def _count(queryset):
    """A correlated COUNT(*) subquery, so that counting comments never multiplies the rows of a list."""
    counted = queryset.order_by().values("deliverable").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _open_threads():
    return _count(Comment.objects.filter(deliverable=OuterRef("pk"), parent=None, resolved_at=None))


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


def review_queue(user, filters: dict):
    """Submitted deliverables, the longest waiting first: those of one's assigned projects, all for admins.
    Counted per page by `with_review_counts`, so that the database never counts for rows it does not show."""
    deliverables = Deliverable.objects.filter(status=DeliverableStatus.SUBMITTED)
    if not user.is_alliance_admin:
        assigned = Project.facilitators.through.objects.filter(user=user).values("project_id")
        deliverables = deliverables.filter(project__in=assigned)
    if filters:
        projects = filter_projects(Project.objects.all(), filters)
        deliverables = deliverables.filter(project__in=projects.values("pk"))
    return deliverables.select_related("project__territory", "project__lead").order_by("submitted_at", "pk")


def with_review_counts(deliverables) -> list:
    """The deliverables of a page, each with its open threads and its latest version number (two queries)."""
    deliverables = list(deliverables)
    pks = [d.pk for d in deliverables]
    threads = dict(
        Comment.objects.filter(deliverable__in=pks, parent=None, resolved_at=None)
        .order_by()
        .values("deliverable")
        .annotate(n=Count("pk"))
        .values_list("deliverable", "n")
    )
    versions = dict(
        DeliverableVersion.objects.filter(deliverable__in=pks)
        .order_by()
        .values("deliverable")
        .annotate(n=Max("number"))
        .values_list("deliverable", "n")
    )
    for deliverable in deliverables:
        deliverable.open_threads = threads.get(deliverable.pk, 0)
        deliverable.version_number = versions.get(deliverable.pk)
    return deliverables


def projects_by_stage(territory) -> list[tuple[str, str, int]]:
    """(stage, label, number of projects) for every stage, for the territory's dashboard."""
    counts = dict(
        Project.objects.filter(territory=territory)
        .order_by()
        .values("stage")
        .annotate(n=Count("pk"))
        .values_list("stage", "n")
    )
    return [(stage.value, stage.label, counts.get(stage.value, 0)) for stage in Stage]


def project_deliverables(project) -> list[tuple[str, str, Deliverable | None]]:
    """The three deliverables in the method's order; one that is not open yet is None."""
    deliverables = {
        d.kind: d
        for d in Deliverable.objects.filter(project=project).annotate(
            open_threads=_open_threads(),
            comment_count=_count(Comment.objects.filter(deliverable=OuterRef("pk"))),
            version_count=_count(DeliverableVersion.objects.filter(deliverable=OuterRef("pk"))),
        )
    }
    return [(kind.value, kind.label, deliverables.get(kind.value)) for kind in DeliverableKind.ordered()]


def project_team(project) -> list[dict]:
    """The lead first, then the members, each with their role in the territory's team."""
    members = list(project.members.order_by("full_name", "email"))
    people = [project.lead] if project.lead_id else []
    people += [user for user in members if user.pk != project.lead_id]
    roles = {
        member.user_id: member.get_role_display()
        for member in TeamMember.objects.filter(territory_id=project.territory_id, user__in=people)
    }
    return [
        {"user": user, "is_lead": user.pk == project.lead_id, "role": roles.get(user.pk, "")}
        for user in people
    ]


def project_history(project, deliverables, *, with_private_notes: bool):
    """The last steps of the project and of its deliverables; the private notes' entries only for those who
    may read the notes."""
    deliverable_type = ContentType.objects.get_for_model(Deliverable)
    entries = history_of(project) | AuditEntry.objects.filter(
        target_type=deliverable_type, target_id__in=[str(d.pk) for d in deliverables]
    )
    if not with_private_notes:
        entries = entries.exclude(action="private_note.add")
    return list(entries.select_related("actor").order_by("-created_at", "-id")[:HISTORY_LENGTH])


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
