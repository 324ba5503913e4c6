"""The evaluation page's offer to rate, decided in methods/access.py: no database."""

import pytest

from methods.access import can_rate_now
from methods.models import EvaluationSession, EvaluationStatus


@pytest.mark.parametrize("status", EvaluationStatus.values)
def test_only_a_participant_is_offered_to_rate_and_only_at_the_rating_step(status):
    session = EvaluationSession(status=status)
    assert can_rate_now(session, is_participant=True) == (status == EvaluationStatus.RATING)
    assert not can_rate_now(session, is_participant=False)
