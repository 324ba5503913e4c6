"""The project page's cards of the method's tools: how many rows each tool holds for the project."""

import pytest

from methods.models import (
    ActantEntry,
    Action,
    Actor,
    EvaluationSession,
    EvaluationStatus,
    Influence,
    JournalEntry,
    JournalVisibility,
)
from methods.selectors import project_tools_summary

pytestmark = pytest.mark.django_db


def _expected(project, *, with_team_entries):
    journal = JournalEntry.objects.filter(project=project)
    if not with_team_entries:
        journal = journal.filter(visibility=JournalVisibility.SHARED)
    evaluations = EvaluationSession.objects.filter(project=project)
    return {
        "actors": Actor.objects.filter(project=project).count(),
        "selected_actors": Actor.objects.filter(project=project, is_selected=True).count(),
        "influences": Influence.objects.filter(project=project).count(),
        "actions": Action.objects.filter(project=project).count(),
        "actant_entries": ActantEntry.objects.filter(schema__project=project).count(),
        "journal_entries": journal.count(),
        "evaluations": evaluations.count(),
        "closed_evaluations": evaluations.filter(status=EvaluationStatus.CLOSED).count(),
    }


@pytest.mark.parametrize("with_team_entries", [True, False])
def test_the_tools_summary_counts_the_project_s_rows_of_each_tool(world, with_team_entries):
    project = world.project
    Actor.objects.filter(pk=world.actor.pk).update(is_selected=True)
    EvaluationSession.objects.filter(project=project).update(status=EvaluationStatus.CLOSED)
    expected = _expected(project, with_team_entries=with_team_entries)
    assert project_tools_summary(project, with_team_entries=with_team_entries) == expected
    # The world's project uses every tool: each count is one the summary really made.
    assert all(count > 0 for count in expected.values()), expected


def test_the_team_s_journal_entries_are_counted_only_for_those_who_read_them(world):
    with_team = project_tools_summary(world.project, with_team_entries=True)["journal_entries"]
    shared = project_tools_summary(world.project, with_team_entries=False)["journal_entries"]
    team_only = JournalEntry.objects.filter(project=world.project, visibility=JournalVisibility.TEAM).count()
    assert team_only > 0 and with_team == shared + team_only


def test_a_project_without_tools_counts_zero_everywhere(world):
    counts = project_tools_summary(world.draft_project, with_team_entries=True)
    assert counts == _expected(world.draft_project, with_team_entries=True)
    assert set(counts.values()) == {0}
