"""The rules the project pages show, read on the rights object: what a note's link offers (write, review or
read it), whether the project may be abandoned, which saved texts of an answer may be restored. Pure
functions of the rights and the objects' states: no database."""

import pytest

from projects.access import READ, REVIEW, WRITE, ProjectRights
from projects.models import Answer, AnswerRevision, Deliverable, DeliverableStatus, Project, Stage
from territories.access import TerritoryRights

NOBODY = TerritoryRights(member=None, is_facilitator=False, is_admin=False)
WRITER = ProjectRights(territory=NOBODY, is_member=True, is_assigned_facilitator=False)
REVIEWER = ProjectRights(territory=NOBODY, is_member=False, is_assigned_facilitator=True)
READER = ProjectRights(
    territory=TerritoryRights(member=None, is_facilitator=True, is_admin=False),
    is_member=False,
    is_assigned_facilitator=False,
)


def _note(status, stage=Stage.INTENTION):
    return Deliverable(status=status, project=Project(stage=stage))


@pytest.mark.parametrize(
    ("rights", "status", "stage", "way"),
    [
        (WRITER, DeliverableStatus.DRAFT, Stage.INTENTION, WRITE),
        (WRITER, DeliverableStatus.CHANGES_REQUESTED, Stage.CADRAGE, WRITE),
        (WRITER, DeliverableStatus.SUBMITTED, Stage.INTENTION, READ),
        (WRITER, DeliverableStatus.DRAFT, Stage.ABANDONED, READ),
        (REVIEWER, DeliverableStatus.SUBMITTED, Stage.INTENTION, REVIEW),
        (REVIEWER, DeliverableStatus.DRAFT, Stage.INTENTION, READ),
        (REVIEWER, DeliverableStatus.VALIDATED, Stage.INTENTION, READ),
        (READER, DeliverableStatus.SUBMITTED, Stage.INTENTION, READ),
        (READER, DeliverableStatus.DRAFT, Stage.INTENTION, READ),
    ],
)
def test_a_note_s_link_offers_to_write_it_review_it_or_read_it(rights, status, stage, way):
    assert rights.way_into(_note(status, stage)) == way


def test_the_project_team_abandons_a_running_project_only():
    assert WRITER.can_abandon(Project(stage=Stage.CADRAGE))
    assert not WRITER.can_abandon(Project(stage=Stage.ABANDONED))
    assert not READER.can_abandon(Project(stage=Stage.CADRAGE))


def test_a_saved_text_is_restorable_by_the_writers_unless_it_is_the_current_one():
    answer = Answer(version=3)
    draft = _note(DeliverableStatus.DRAFT)
    current = AnswerRevision(version=3, is_conflict=False)
    earlier = AnswerRevision(version=2, is_conflict=False)
    # A text that lost a conflict was never applied, whatever version it was written against.
    lost = AnswerRevision(version=3, is_conflict=True)
    assert [WRITER.can_restore(draft, answer, r) for r in (current, earlier, lost)] == [False, True, True]
    assert not WRITER.can_restore(_note(DeliverableStatus.SUBMITTED), answer, earlier)
    assert not WRITER.can_restore(_note(DeliverableStatus.DRAFT, Stage.ABANDONED), answer, earlier)
    assert not REVIEWER.can_restore(draft, answer, earlier)
