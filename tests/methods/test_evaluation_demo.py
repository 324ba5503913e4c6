"""The demo's evaluation session on the Tarn pilot's project."""

from methods.demo_evaluation import TITLE, seed_evaluation
from methods.models import EvaluationStatus


def _users(world):
    users = world.users
    return {
        "agent": users["agent"],
        "dgs": users["dgs"],
        "elu": users["elu"],
        "facilitatrice": users["facilitator"],
    }


def test_the_demo_session_is_closed_with_a_recorded_disagreement_on_cooperation(world):
    session = seed_evaluation(world.project, users=_users(world))
    assert session.title == TITLE and session.status == EvaluationStatus.CLOSED
    assert session.participants.count() == 4
    assert session.ratings.count() == 4 * session.dimensions.count()
    cooperation = session.agreements.get(dimension__name="Coopération")
    assert "Les agents retiennent +2" in cooperation.disagreements
    scores = dict(
        session.ratings.filter(dimension__name="Coopération").values_list("participant__email", "score")
    )
    assert scores["agent@exemple.fr"] == 2 and scores["dgs@exemple.fr"] == 0
    assert all(rating.comment for rating in session.ratings.all())


def test_the_demo_session_is_seeded_once(world):
    first = seed_evaluation(world.project, users=_users(world))
    again = seed_evaluation(world.project, users=_users(world))
    assert again == first
    assert world.project.evaluation_sessions.filter(title=TITLE).count() == 1
