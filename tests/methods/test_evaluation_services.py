"""The rules of the evaluation of the value created, each with its French message."""

import datetime

import pytest

from core.models import AuditEntry
from methods.access import get_scope_for_user
from methods.models import Agreement, EvaluationStatus, Rating, ValueDimension
from methods.services import evaluation as services
from methods.services.errors import MethodError
from notifications.models import Notification
from tests.factories import UserFactory

SCORE_MESSAGE = "La valeur doit être comprise entre −2 et +2."


def _scope(world, role="agent"):
    return get_scope_for_user(world.users[role], project_pk=world.project.pk)


def _open(world, participants=("agent", "dgs"), **overrides):
    values = {
        "actor": world.users["agent"],
        "scope": _scope(world),
        "title": "Bilan",
        "held_on": datetime.date(2025, 1, 20),
        "participants": [world.users[role] for role in participants],
    }
    values.update(overrides)
    return services.session_open(**values)


def _deliberating(world):
    session = _open(world)
    dimension = session.dimensions.first()
    services.rating_save(actor=world.users["agent"], session=session, dimension=dimension, score=1)
    services.session_start_deliberation(actor=world.users["agent"], session=session)
    return session


# --- Opening -----------------------------------------------------------------------------------------------


def test_opening_a_session_fixes_the_active_grid_and_tells_the_participants(world):
    retired = ValueDimension.objects.create(name="Retirée", is_active=False)
    session = _open(world, participants=("agent", "dgs", "facilitator"))
    assert session.status == EvaluationStatus.RATING
    assert retired not in session.dimensions.all()
    assert set(session.dimensions.all()) == set(ValueDimension.objects.filter(is_active=True))
    notified = set(
        Notification.objects.filter(
            kind="methods.evaluation_opened", url__contains=f"/{session.pk}/"
        ).values_list("recipient__email", flat=True)
    )
    assert notified == {"dgs@exemple.fr", "facilitatrice@exemple.fr"}  # never the one who opened it
    assert AuditEntry.objects.filter(action="methods.evaluation.open", target_id=str(session.pk)).exists()


def test_a_later_change_of_the_dimensions_does_not_alter_an_open_session(world):
    session = _open(world)
    before = set(session.dimensions.all())
    ValueDimension.objects.create(name="Nouvelle dimension")
    assert set(session.dimensions.all()) == before


def test_participants_must_be_people_of_the_scope(world):
    stranger = UserFactory(full_name="Personne Étrangère")
    with pytest.raises(MethodError) as refused:
        services.session_open(
            actor=world.users["agent"],
            scope=_scope(world),
            title="Bilan",
            held_on=datetime.date(2025, 1, 20),
            participants=[world.users["agent"], stranger],
        )
    assert "Personne Étrangère" in refused.value.message


def test_the_manager_of_another_territory_cannot_take_part(world):
    with pytest.raises(MethodError, match="ne le sont pas : Victor Visiteur"):
        _open(world, participants=("agent", "outsider"))


def test_the_project_facilitators_and_the_territory_team_may_take_part(world):
    session = _open(world, participants=("agent", "dgs", "elu", "facilitator"))
    assert session.participants.count() == 4


def test_a_session_needs_a_title_and_participants(world):
    with pytest.raises(MethodError, match="Donnez un titre"):
        _open(world, title="  ")
    with pytest.raises(MethodError, match="au moins un·e participant·e"):
        _open(world, participants=())


def test_no_session_opens_without_an_active_dimension(world):
    ValueDimension.objects.update(is_active=False)
    with pytest.raises(MethodError, match="Aucune dimension"):
        _open(world)


# --- Individual ratings ------------------------------------------------------------------------------------


def test_a_participant_rates_for_themself(world):
    session = world.evaluation
    dimension = session.dimensions.last()
    rating = services.rating_save(
        actor=world.users["dgs"],
        session=session,
        dimension=dimension,
        score=-2,
        comment=" Rien de neuf. ",
        for_whom="Les DGS",
        evidence="Présences",
    )
    assert (rating.participant, rating.score, rating.comment) == (world.users["dgs"], -2, "Rien de neuf.")
    services.rating_save(actor=world.users["dgs"], session=session, dimension=dimension, score=0)
    assert Rating.objects.get(session=session, participant=world.users["dgs"], dimension=dimension).score == 0


@pytest.mark.parametrize("score", [3, -3, 99, "1", 1.0, None, True])
def test_a_score_out_of_range_is_refused_with_its_message(world, score):
    with pytest.raises(MethodError) as refused:
        services.rating_save(
            actor=world.users["dgs"],
            session=world.evaluation,
            dimension=world.evaluation.dimensions.first(),
            score=score,
        )
    assert refused.value.message == SCORE_MESSAGE


def test_the_database_constraint_is_only_a_backstop_turned_into_the_message(world):
    session = world.evaluation
    rating = Rating(session=session, participant=world.users["dgs"], dimension=session.dimensions.first())
    rating.score = 5
    with pytest.raises(MethodError, match="entre −2 et \\+2"):
        services._save_checked(rating)
    assert not Rating.objects.filter(session=session, participant=world.users["dgs"]).exists()


@pytest.mark.parametrize("role", ["elu", "admin", "outsider"])
def test_someone_who_is_not_a_participant_cannot_rate(world, role):
    with pytest.raises(MethodError, match="Seul·es les participant·es"):
        services.rating_save(
            actor=world.users[role],
            session=world.evaluation,
            dimension=world.evaluation.dimensions.first(),
            score=1,
        )


def test_a_dimension_outside_the_grid_is_refused(world):
    outside = ValueDimension.objects.create(name="Hors grille")
    with pytest.raises(MethodError, match="ne fait pas partie de la grille"):
        services.rating_save(actor=world.users["agent"], session=world.evaluation, dimension=outside, score=1)


def test_ratings_are_frozen_once_the_deliberation_opens(world):
    session = world.territory_evaluation
    with pytest.raises(MethodError, match="ne se modifient plus"):
        services.rating_save(
            actor=world.users["dgs"], session=session, dimension=session.dimensions.first(), score=1
        )


def test_a_grid_is_saved_whole_or_not_at_all_with_each_refused_row_named(world):
    session = world.evaluation
    first, second = list(session.dimensions.all())[:2]
    outside = ValueDimension.objects.create(name="Hors grille")
    with pytest.raises(services.RatingsRefused) as refused:
        services.ratings_save(
            actor=world.users["dgs"],
            session=session,
            rows=[
                {"dimension": first, "score": 1},
                {"dimension": second, "score": 7},
                {"dimension": outside, "score": 0},
            ],
        )
    assert refused.value.errors == {
        second.pk: SCORE_MESSAGE,
        outside.pk: "Cette dimension ne fait pas partie de la grille de la séance.",
    }
    assert not Rating.objects.filter(session=session, participant=world.users["dgs"]).exists()


def test_saving_a_grid_is_audited_once(world):
    session = world.evaluation
    before = AuditEntry.objects.filter(action="methods.evaluation.rate").count()
    services.ratings_save(
        actor=world.users["dgs"],
        session=session,
        rows=[{"dimension": d, "score": 0} for d in session.dimensions.all()],
    )
    assert AuditEntry.objects.filter(action="methods.evaluation.rate").count() == before + 1


# --- Deliberation ----------------------------------------------------------------------------------------


def test_the_deliberation_needs_at_least_one_rating(world):
    session = _open(world)
    with pytest.raises(MethodError, match="Aucune évaluation individuelle"):
        services.session_start_deliberation(actor=world.users["agent"], session=session)


def test_only_participants_and_the_scope_facilitators_deliberate(world):
    session = world.evaluation
    with pytest.raises(MethodError, match="participant·es et l'accompagnement"):
        services.session_start_deliberation(actor=world.users["elu"], session=session)
    session = _deliberating(world)  # the facilitator follows the territory without taking part
    agreement = services.agreement_save(
        actor=world.users["facilitator"], session=session, dimension=session.dimensions.first(), score=2
    )
    assert agreement.updated_by == world.users["facilitator"]


def test_an_agreement_is_recorded_only_during_the_deliberation(world):
    with pytest.raises(MethodError, match="pendant la délibération"):
        services.agreement_save(
            actor=world.users["agent"],
            session=world.evaluation,
            dimension=world.evaluation.dimensions.first(),
            score=1,
        )


@pytest.mark.parametrize("score", [3, -5, "2"])
def test_an_agreement_out_of_range_is_refused_with_its_message(world, score):
    session = world.territory_evaluation
    with pytest.raises(MethodError) as refused:
        services.agreement_save(
            actor=world.users["agent"], session=session, dimension=session.dimensions.first(), score=score
        )
    assert refused.value.message == SCORE_MESSAGE


def test_an_agreement_keeps_the_disagreements(world):
    session = world.territory_evaluation
    dimension = session.dimensions.first()
    services.agreement_save(
        actor=world.users["dgs"],
        session=session,
        dimension=dimension,
        score=-1,
        synthesis=" Peu d'effet. ",
        disagreements="Les agents voient +2.",
    )
    agreement = Agreement.objects.get(session=session, dimension=dimension)
    assert (agreement.score, agreement.synthesis, agreement.disagreements) == (
        -1,
        "Peu d'effet.",
        "Les agents voient +2.",
    )


def test_closing_lists_the_dimensions_still_without_an_agreed_rating(world):
    session = world.territory_evaluation
    names = [d.name for d in session.dimensions.all() if d.name != "Coopération"]
    with pytest.raises(MethodError) as refused:
        services.session_close(actor=world.users["agent"], session=session)
    assert refused.value.message == (
        "Il manque la valeur retenue par le groupe pour : " + ", ".join(names) + "."
    )
    assert "Coopération" not in refused.value.message


def test_a_session_closes_once_every_dimension_is_agreed_and_reopens(world):
    session = world.territory_evaluation
    for dimension in session.dimensions.all():
        services.agreement_save(actor=world.users["elu"], session=session, dimension=dimension, score=0)
    services.session_close(actor=world.users["elu"], session=session)
    session.refresh_from_db()
    assert session.status == EvaluationStatus.CLOSED and session.closed_at is not None
    with pytest.raises(MethodError, match="en délibération"):
        services.session_close(actor=world.users["elu"], session=session)
    services.session_reopen(actor=world.users["facilitator"], session=session)
    session.refresh_from_db()
    assert session.status == EvaluationStatus.DELIBERATING and session.closed_at is None
    with pytest.raises(MethodError, match="n'est pas clôturée"):
        services.session_reopen(actor=world.users["facilitator"], session=session)


# --- Personal data -------------------------------------------------------------------------------------


def test_the_export_holds_ones_sessions_and_own_ratings(world):
    data = services.privacy_export(world.users["agent"])
    titles = {session["title"] for session in data["evaluation_sessions"]}
    assert titles == {world.evaluation.title, world.territory_evaluation.title}
    comments = {rating["comment"] for rating in data["value_ratings"]}
    assert "Le groupe des agents s'est emparé de l'exercice." in comments
    assert {rating["dimension"] for rating in data["value_ratings"]} >= {"Coopération"}
    assert services.privacy_export(world.users["admin"]) == {"evaluation_sessions": [], "value_ratings": []}


def test_erasure_keeps_the_scores_and_drops_the_free_text(world):
    agent = world.users["agent"]
    before = list(Rating.objects.filter(participant=agent).order_by("pk").values_list("score", flat=True))
    services.privacy_erase(agent)
    ratings = Rating.objects.filter(participant=agent).order_by("pk")
    assert list(ratings.values_list("score", flat=True)) == before
    assert set(ratings.values_list("comment", "for_whom", "evidence")) == {("", "", "")}
    assert world.evaluation.participants.filter(pk=agent.pk).exists()
    elu_rating = Rating.objects.filter(participant=world.users["elu"]).first()
    assert elu_rating.for_whom  # nobody else's words go
