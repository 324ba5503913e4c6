"""Read-only summaries of the method's tools for the pages of other apps."""

from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce

from projects.models import Project

from .models import (
    ActantEntry,
    Action,
    Actor,
    EvaluationSession,
    EvaluationStatus,
    Influence,
    JournalEntry,
    JournalVisibility,
)


def _count(queryset, by="project"):
    counted = queryset.order_by().values(by).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def project_page_context(project, rights) -> dict:
    """What the project's page shows of the method's tools (registered in MethodsConfig.ready)."""
    return {
        "tools": project_tools_summary(
            project, with_team_entries=rights.territory.member is not None or rights.is_member
        )
    }


def project_tools_summary(project, *, with_team_entries: bool) -> dict:
    """How far the team went with each tool, in one query: counts for the project page's cards."""
    journal = JournalEntry.objects.filter(project=OuterRef("pk"))
    if not with_team_entries:
        journal = journal.filter(visibility=JournalVisibility.SHARED)
    # Prefixed: the plain names are the project's reverse relations.
    counts = (
        Project.objects.filter(pk=project.pk)
        .annotate(
            n_actors=_count(Actor.objects.filter(project=OuterRef("pk"))),
            n_selected_actors=_count(Actor.objects.filter(project=OuterRef("pk"), is_selected=True)),
            n_influences=_count(Influence.objects.filter(project=OuterRef("pk"))),
            n_actions=_count(Action.objects.filter(project=OuterRef("pk"))),
            n_actant_entries=_count(
                ActantEntry.objects.filter(schema__project=OuterRef("pk")), by="schema__project"
            ),
            n_journal_entries=_count(journal),
            n_evaluations=_count(EvaluationSession.objects.filter(project=OuterRef("pk"))),
            n_closed_evaluations=_count(
                EvaluationSession.objects.filter(project=OuterRef("pk"), status=EvaluationStatus.CLOSED)
            ),
        )
        .values(
            "n_actors",
            "n_selected_actors",
            "n_influences",
            "n_actions",
            "n_actant_entries",
            "n_journal_entries",
            "n_evaluations",
            "n_closed_evaluations",
        )
        .get()
    )
    return {name.removeprefix("n_"): count for name, count in counts.items()}
