"""Reads of the method's tools: what their pages list, and the summaries other apps' pages show."""

from django.db import connection
from django.db.models import Count, Prefetch

from accounts.models import User

from .access import Scope
from .models import (
    ActantEntry,
    ActantialSchema,
    Action,
    Actor,
    Agreement,
    EvaluationSession,
    EvaluationStatus,
    Influence,
    JournalEntry,
    JournalVisibility,
    Rating,
)

# Each tool's rows of the project (%(project)s); the journal's entries shared beyond the team, or all of them.
_TOOLS_SQL = """
SELECT
    (SELECT COUNT(*) FROM methods_actor WHERE project_id = %(project)s) AS actors,
    (SELECT COUNT(*) FROM methods_actor WHERE project_id = %(project)s AND is_selected) AS selected_actors,
    (SELECT COUNT(*) FROM methods_influence WHERE project_id = %(project)s) AS influences,
    (SELECT COUNT(*) FROM methods_action WHERE project_id = %(project)s) AS actions,
    (SELECT COUNT(*) FROM methods_actantentry e JOIN methods_actantialschema s ON e.schema_id = s.id
        WHERE s.project_id = %(project)s) AS actant_entries,
    (SELECT COUNT(*) FROM methods_journalentry WHERE project_id = %(project)s
        AND (%(team)s OR visibility = %(shared)s)) AS journal_entries,
    (SELECT COUNT(*) FROM methods_evaluationsession WHERE project_id = %(project)s) AS evaluations,
    (SELECT COUNT(*) FROM methods_evaluationsession WHERE project_id = %(project)s AND status = %(closed)s)
        AS closed_evaluations
"""


def project_page_context(project, rights) -> dict:
    """What the project's page shows of the method's tools (registered in MethodsConfig.ready)."""
    return {
        "tools": project_tools_summary(
            project, with_team_entries=rights.territory.member is not None or rights.is_member
        )
    }


def project_tools_summary(project, *, with_team_entries: bool) -> dict:
    """How far the team went with each tool, in one statement: counts for the project page's cards.

    Written in SQL: composing eight correlated subqueries cost the ORM several times what PostgreSQL spends
    answering them, on a page everyone opens."""
    params = {
        "project": project.pk,
        "team": with_team_entries,
        "shared": JournalVisibility.SHARED.value,
        "closed": EvaluationStatus.CLOSED.value,
    }
    with connection.cursor() as cursor:
        cursor.execute(_TOOLS_SQL, params)
        names = [column.name for column in cursor.description]
        return dict(zip(names, cursor.fetchone(), strict=True))


# --- The actors and the actantial schema ---------------------------------------------------------------


def actors_of(project):
    """The project's actors by name (the pickers of the tools' forms list them)."""
    return Actor.objects.filter(project=project).order_by("name", "pk")


def actions_of(project):
    """The project's chain of actions."""
    return Action.objects.filter(project=project)


def influences_of(project):
    """The project's influences, each with the two actors it links."""
    return Influence.objects.select_related("source", "target").filter(project=project)


def actantial_schemas_of(project):
    """The project's actantial schemas, the main one (the first written) first."""
    return ActantialSchema.objects.filter(project=project).order_by("pk")


def actant_entries_of(schema):
    """The schema's entries, each with the actor it names."""
    return ActantEntry.objects.select_related("actor").filter(schema=schema)


# --- The cooperation journal --------------------------------------------------------------------------


def journal_entries_of(scope: Scope):
    """The récits the scope's reader sees: a project's own; for a territory, its own and its projects'.
    Those kept to the team are left out for readers outside it."""
    if scope.project is not None:
        entries = JournalEntry.objects.filter(project=scope.project)
    else:
        entries = JournalEntry.objects.filter(territory=scope.territory)
    if not scope.can_read_team_entries:
        entries = entries.filter(visibility=JournalVisibility.SHARED)
    return entries


def timeline_entries(scope: Scope, filters: dict) -> list[JournalEntry]:
    """The timeline's récits (newest first, the model's order) with their author, project and participants."""
    return list(
        journal_entries_of(scope)
        .filter(**filters)
        .select_related("author", "project")
        .prefetch_related(Prefetch("participants", queryset=User.objects.order_by("full_name", "email")))
    )


# --- The evaluation of the value created ----------------------------------------------------------------


def evaluation_sessions_of(scope: Scope) -> list[EvaluationSession]:
    """The scope's sessions, the latest held first, with their number of participants and the values the
    group retained (with their dimension)."""
    return list(
        EvaluationSession.objects.filter(**scope.filter_kwargs())
        .annotate(participant_count=Count("participants", distinct=True))
        .prefetch_related(Prefetch("agreements", queryset=Agreement.objects.select_related("dimension")))
        .order_by("-held_on", "-pk")
    )


# The order ratings are shown in: by dimension, then by participant.
_RATING_ORDER = ("dimension__position", "dimension_id", "participant__full_name", "pk")


def visible_ratings(session, user, *, is_participant: bool) -> list[Rating]:
    """All the ratings once the deliberation is open; before, the reader's own only."""
    ratings = Rating.objects.filter(session=session).select_related("participant", "dimension")
    if not session.ratings_are_shared:
        if not is_participant:
            return []
        ratings = ratings.filter(participant=user)
    return list(ratings.order_by(*_RATING_ORDER))


def deliberation_ratings(session) -> list[Rating]:
    """Every rating of the session, with its participant, for the deliberation."""
    return list(Rating.objects.filter(session=session).select_related("participant").order_by(*_RATING_ORDER))


def raters_of(session) -> set[int]:
    """The ids of the participants who gave at least one rating."""
    return set(Rating.objects.filter(session=session).values_list("participant_id", flat=True).distinct())


def own_ratings(session, user) -> dict[int, Rating]:
    """The person's ratings of the session, by dimension id."""
    ratings = Rating.objects.filter(session=session, participant=user)
    return {rating.dimension_id: rating for rating in ratings}


def agreements_of(session) -> list[Agreement]:
    """The values the group retained, one per dimension agreed on."""
    return list(Agreement.objects.filter(session=session))
