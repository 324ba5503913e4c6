"""The pages of the evaluation of the value created: who sees what, the participant's grid and its errors, the
deliberation (with and without htmx), the steps of a session, and what the pages cost in queries."""

import datetime
import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from methods.access import get_scope_for_user
from methods.models import Agreement, EvaluationSession, EvaluationStatus, Rating
from methods.radar import INDIVIDUAL
from methods.services import evaluation as services
from territories.models import TeamMember, TeamRole
from tests.factories import UserFactory

SCORE_MESSAGE = "La valeur doit être comprise entre −2 et +2."


def _url(name, session):
    return reverse(f"methods:{name}", args=[session.pk])


def _grid(session, **rows):
    """A full grid's POST data, every row blank unless given as d<index>={field: value}."""
    data = {}
    for index, dimension in enumerate(session.dimensions.all()):
        for field in ("score", "comment", "for_whom", "evidence"):
            data[f"d{dimension.pk}-{field}"] = ""
        for field, value in rows.get(f"d{index}", {}).items():
            data[f"d{dimension.pk}-{field}"] = value
    return data


# --- Who sees what -----------------------------------------------------------------------------------------


def test_while_rating_each_participant_sees_only_their_own_ratings(world, client_for):
    agent_page = unescape(
        client_for("agent").get(_url("evaluation_detail", world.evaluation)).content.decode()
    )
    assert "Le groupe des agents s'est emparé de l'exercice." in agent_page
    for role in ("dgs", "elu", "facilitator", "admin"):
        page = client_for(role).get(_url("evaluation_detail", world.evaluation)).content.decode()
        assert "emparé de l" not in page, role
        assert "1 sur 3 a donné son évaluation." in page


def test_once_the_deliberation_opens_every_reader_sees_the_ratings_and_the_radar(world, client_for):
    for role in ("elu", "admin", "dgs"):
        page = client_for(role).get(_url("evaluation_detail", world.territory_evaluation)).content.decode()
        assert "Les agents des cinq communautés de communes" in page, role
        assert 'class="chart chart-value-radar"' in page
        assert "Les élus n'en voient pas encore les effets." in unescape(page)


def test_the_radar_of_a_session_still_rating_shows_no_ones_ratings(world, client_for):
    response = client_for("agent").get(_url("evaluation_radar_svg", world.evaluation))
    assert response["Content-Type"].startswith("image/svg+xml")
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode()
    assert text.count(f'fill="{INDIVIDUAL}"') == 1  # the legend's dot only
    assert "aucune évaluation individuelle visible" in text


def test_the_radar_of_a_deliberation_can_be_downloaded(world, client_for):
    response = client_for("elu").get(_url("evaluation_radar_svg", world.territory_evaluation))
    text = response.content.decode()
    assert text.startswith("<?xml")
    assert "Coopération : valeur retenue +1" in text


@pytest.mark.parametrize("role", ["elu", "admin"])
def test_a_reader_who_does_not_take_part_cannot_rate(world, client_for, role):
    assert client_for(role).get(_url("evaluation_rate", world.evaluation)).status_code == 403
    response = client_for(role).post(_url("evaluation_rate", world.evaluation), _grid(world.evaluation))
    assert response.status_code == 403


def test_another_territorys_session_is_hidden(world, client_for):
    for name in ("evaluation_detail", "evaluation_rate", "evaluation_deliberate", "evaluation_radar_svg"):
        assert client_for("agent").get(_url(name, world.other_evaluation)).status_code == 404


def test_the_outsider_is_refused_the_territorys_sessions(world, client_for):
    client = client_for("outsider")
    assert client.get(reverse("methods:evaluations_territory", args=[world.territory.pk])).status_code == 403
    assert client.get(_url("evaluation_detail", world.territory_evaluation)).status_code == 403
    assert client.get(reverse("methods:evaluations_project", args=[world.project.pk])).status_code == 404


def test_the_list_shows_the_scopes_sessions_only(world, client_for):
    page = client_for("elu").get(reverse("methods:evaluations_project", args=[world.project.pk]))
    text = page.content.decode()
    assert world.evaluation.title in text
    assert world.territory_evaluation.title not in text
    territory_page = client_for("elu").get(
        reverse("methods:evaluations_territory", args=[world.territory.pk])
    )
    assert world.territory_evaluation.title in territory_page.content.decode()
    assert "value-comparison-t" in territory_page.content.decode()


# --- Opening ---------------------------------------------------------------------------------------------


def test_the_team_opens_a_session_with_people_of_the_scope(world, client_for):
    url = reverse("methods:evaluation_open_project", args=[world.project.pk])
    users = world.users
    response = client_for("elu").post(
        url,
        {
            "title": "Bilan à deux ans",
            "held_on": "2026-03-02",
            "participants": [users["elu"].pk, users["agent"].pk],
        },
    )
    session = EvaluationSession.objects.get(title="Bilan à deux ans")
    assert response.status_code == 302 and response["Location"] == _url("evaluation_detail", session)
    assert session.project == world.project and session.held_on == datetime.date(2026, 3, 2)


def test_opening_with_someone_outside_the_scope_is_refused_on_the_form(world, client_for):
    url = reverse("methods:evaluation_open_project", args=[world.project.pk])
    response = client_for("agent").post(
        url, {"title": "Bilan", "held_on": "2026-03-02", "participants": [world.users["outsider"].pk]}
    )
    assert response.status_code == 422
    assert "Cette personne ne peut pas participer à cette séance." in response.content.decode()
    assert 'value="Bilan"' in response.content.decode()


def test_an_admin_reads_but_does_not_open_sessions(world, client_for):
    client = client_for("admin")
    assert client.get(reverse("methods:evaluations_project", args=[world.project.pk])).status_code == 200
    assert client.get(reverse("methods:evaluation_open_project", args=[world.project.pk])).status_code == 403


# --- The participant's grid ------------------------------------------------------------------------------


def test_the_grid_saves_every_row_at_once(world, client_for):
    session = world.evaluation
    data = _grid(
        session,
        d0={"score": "-1", "comment": "Coûteux en temps.", "for_whom": "Les DGS", "evidence": "Heures"},
        d3={"score": "2"},
    )
    response = client_for("dgs").post(_url("evaluation_rate", session), data)
    assert response.status_code == 302
    ratings = Rating.objects.filter(session=session, participant=world.users["dgs"]).order_by(
        "dimension__position"
    )
    assert [(r.score, r.comment, r.for_whom) for r in ratings] == [
        (-1, "Coûteux en temps.", "Les DGS"),
        (2, "", ""),
    ]


def test_the_grid_shows_the_participants_earlier_ratings(world, client_for):
    page = client_for("agent").get(_url("evaluation_rate", world.evaluation)).content.decode()
    first = world.evaluation_dimensions[0]
    assert re.search(f'name="d{first.pk}-score" value="1"[^>]* checked', page)
    assert "Des économies de déplacements." in page
    assert page.count(" checked") == 2


@pytest.mark.parametrize("score", ["3", "abc", "-3", "1.5", "+1"])
def test_a_bad_score_gets_the_message_on_its_row_and_keeps_every_input(world, client_for, score):
    session = world.evaluation
    data = _grid(
        session,
        d0={"score": score, "comment": "Mon commentaire sur la première ligne"},
        d1={"score": "1", "comment": "Une autre ligne, correcte", "evidence": "Une preuve"},
    )
    response = client_for("dgs").post(_url("evaluation_rate", session), data)
    assert response.status_code == 422
    page = response.content.decode()
    assert SCORE_MESSAGE in page
    assert "Mon commentaire sur la première ligne" in page
    assert "Une autre ligne, correcte" in page and "Une preuve" in page
    second = world.evaluation_dimensions[1]
    assert f'name="d{second.pk}-score" value="1"' in page
    assert not Rating.objects.filter(session=session, participant=world.users["dgs"]).exists()


def test_a_comment_without_a_score_asks_for_one(world, client_for):
    session = world.evaluation
    response = client_for("dgs").post(_url("evaluation_rate", session), _grid(session, d2={"comment": "Hmm"}))
    assert response.status_code == 422
    assert "Choisissez une valeur de −2 à +2 pour enregistrer cette ligne." in response.content.decode()


def test_an_empty_grid_asks_for_at_least_one_value(world, client_for):
    response = client_for("dgs").post(_url("evaluation_rate", world.evaluation), _grid(world.evaluation))
    assert response.status_code == 422
    assert "Choisissez une valeur pour au moins une dimension." in response.content.decode()


def test_the_grid_closes_when_the_deliberation_opens(world, client_for):
    session = world.territory_evaluation
    response = client_for("dgs").get(_url("evaluation_rate", session))
    assert response.status_code == 302 and response["Location"] == _url("evaluation_detail", session)
    client_for("dgs").post(_url("evaluation_rate", session), _grid(session, d0={"score": "1"}))
    assert not Rating.objects.filter(session=session, participant=world.users["dgs"]).exists()


# --- The deliberation ------------------------------------------------------------------------------------


def test_the_deliberation_lists_each_rating_and_the_spread(world, client_for):
    page = client_for("facilitator").get(_url("evaluation_deliberate", world.territory_evaluation))
    text = page.content.decode()
    assert "Antoine Agent" in text and "Élise Élue" in text
    assert "+2 très positive" in text and "1 personne" in text
    assert text.count('class="agreement-form"') == world.territory_evaluation.dimensions.count()


def test_before_the_deliberation_its_page_only_offers_to_open_it(world, client_for):
    text = client_for("dgs").get(_url("evaluation_deliberate", world.evaluation)).content.decode()
    assert "Des économies" not in text
    assert reverse("methods:evaluation_start_deliberation", args=[world.evaluation.pk]) in text


@pytest.mark.parametrize("role", ["elu", "admin"])
def test_who_neither_takes_part_nor_facilitates_does_not_deliberate(world, client_for, role):
    assert client_for(role).get(_url("evaluation_deliberate", world.evaluation)).status_code == 403


def _agreement_data(dimension, **values):
    data = {"dimension": str(dimension.pk)}
    for field in ("score", "synthesis", "disagreements"):
        data[f"agreement-{dimension.pk}-{field}"] = values.get(field, "")
    return data


def test_an_agreement_is_saved_in_place_with_htmx(world, client_for):
    session = world.territory_evaluation
    dimension = session.dimensions.first()
    response = client_for("dgs").post(
        _url("evaluation_deliberate", session),
        _agreement_data(dimension, score="-1", synthesis="Pas d'effet.", disagreements="L'élue voit 0."),
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert text.startswith('<section class="card deliberation-dimension"')
    assert f"La valeur retenue pour « {dimension.name} » est enregistrée." in text
    agreement = Agreement.objects.get(session=session, dimension=dimension)
    assert (agreement.score, agreement.disagreements) == (-1, "L'élue voit 0.")


def test_an_agreement_is_saved_without_javascript(world, client_for):
    session = world.territory_evaluation
    dimension = session.dimensions.first()
    response = client_for("elu").post(
        _url("evaluation_deliberate", session), _agreement_data(dimension, score="2")
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"#dimension-{dimension.pk}")


@pytest.mark.parametrize("htmx", [False, True])
@pytest.mark.parametrize("score", ["3", "abc", ""])
def test_a_bad_agreed_score_gets_a_message_and_keeps_the_texts(world, client_for, score, htmx):
    session = world.territory_evaluation
    dimension = session.dimensions.first()
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    response = client_for("agent").post(
        _url("evaluation_deliberate", session),
        _agreement_data(dimension, score=score, synthesis="Ma synthèse gardée"),
        **headers,
    )
    assert response.status_code == (200 if htmx else 422)
    text = response.content.decode()
    assert (SCORE_MESSAGE if score else "Choisissez une valeur de −2 à +2.") in text
    assert "Ma synthèse gardée" in text
    assert not Agreement.objects.filter(session=session, dimension=dimension).exists()


@pytest.mark.parametrize("dimension", ["", "abc", "999999", "²", "١", "99999999999999999999"])
def test_an_unknown_dimension_is_not_found(world, client_for, dimension):
    response = client_for("agent").post(
        _url("evaluation_deliberate", world.territory_evaluation), {"dimension": dimension}
    )
    assert response.status_code == 404


def test_an_agreement_cannot_be_posted_before_the_deliberation(world, client_for):
    session = world.evaluation
    dimension = session.dimensions.first()
    response = client_for("agent").post(
        _url("evaluation_deliberate", session), _agreement_data(dimension, score="1"), follow=True
    )
    assert "s&#x27;enregistre pendant la délibération" in response.content.decode()
    assert not Agreement.objects.filter(session=session).exists()


# --- Steps -----------------------------------------------------------------------------------------------


def test_opening_the_deliberation_freezes_the_ratings(world, client_for):
    response = client_for("facilitator").post(_url("evaluation_start_deliberation", world.evaluation))
    assert response["Location"] == _url("evaluation_deliberate", world.evaluation)
    world.evaluation.refresh_from_db()
    assert world.evaluation.status == EvaluationStatus.DELIBERATING


def test_closing_with_missing_agreements_names_them(world, client_for):
    session = world.territory_evaluation
    response = client_for("agent").post(_url("evaluation_close", session), follow=True)
    text = response.content.decode()
    assert "Il manque la valeur retenue par le groupe pour : Économique et financière" in text
    session.refresh_from_db()
    assert session.status == EvaluationStatus.DELIBERATING


def test_closing_and_reopening_a_session(world, client_for):
    session = world.territory_evaluation
    for dimension in session.dimensions.all():
        services.agreement_save(actor=world.users["agent"], session=session, dimension=dimension, score=1)
    client_for("elu").post(_url("evaluation_close", session))
    session.refresh_from_db()
    assert session.status == EvaluationStatus.CLOSED
    page = client_for("elu").get(_url("evaluation_deliberate", session)).content.decode()
    assert 'class="agreement-form"' not in page and "Rouvrir la séance" in page
    client_for("facilitator").post(_url("evaluation_reopen", session))
    session.refresh_from_db()
    assert session.status == EvaluationStatus.DELIBERATING


def test_the_steps_are_refused_to_who_does_not_deliberate(world, client_for):
    for name in ("evaluation_start_deliberation", "evaluation_close", "evaluation_reopen"):
        assert client_for("admin").post(_url(name, world.territory_evaluation)).status_code == 403


# --- Query counts ----------------------------------------------------------------------------------------


def _people(world, count):
    people = [world.users["agent"], world.users["dgs"], world.users["facilitator"]]
    for index in range(count - len(people)):
        user = UserFactory(full_name=f"Agent {index:02d}")
        TeamMember.objects.create(territory=world.territory, user=user, role=TeamRole.AGENT)
        people.append(user)
    return people


def _session_with(world, people, *, status):
    session = services.session_open(
        actor=world.users["agent"],
        scope=get_scope_for_user(world.users["agent"], project_pk=world.project.pk),
        title=f"Séance à {len(people)}",
        held_on=datetime.date(2024, 5, len(people)),
        participants=people,
    )
    dimensions = list(session.dimensions.all())
    for offset, person in enumerate(people):
        services.ratings_save(
            actor=person,
            session=session,
            rows=[
                {
                    "dimension": d,
                    "score": (i + offset) % 5 - 2,
                    "comment": "C",
                    "for_whom": "P",
                    "evidence": "E",
                }
                for i, d in enumerate(dimensions)
            ],
        )
    if status != EvaluationStatus.RATING:
        services.session_start_deliberation(actor=people[0], session=session)
        for dimension in dimensions:
            services.agreement_save(actor=people[0], session=session, dimension=dimension, score=1)
    if status == EvaluationStatus.CLOSED:
        services.session_close(actor=people[0], session=session)
    return session


@pytest.mark.parametrize("name", ["evaluation_detail", "evaluation_deliberate", "evaluation_rate"])
def test_a_sessions_pages_cost_the_same_with_3_or_12_participants(
    world, client_for, django_assert_max_num_queries, name
):
    status = EvaluationStatus.RATING if name == "evaluation_rate" else EvaluationStatus.DELIBERATING
    client = client_for("agent")
    small = _session_with(world, _people(world, 3), status=status)
    client.get(_url(name, small))  # warms the session and the content types
    with CaptureQueriesContext(connection) as queries:
        assert client.get(_url(name, small)).status_code == 200
    large = _session_with(world, _people(world, 12), status=status)
    with django_assert_max_num_queries(len(queries)):
        response = client.get(_url(name, large))
    assert response.status_code == 200
    if name != "evaluation_rate":
        assert response.content.decode().count("Agent 08") >= 7


@pytest.mark.parametrize("name", ["evaluations_project", "evaluation_radar_svg"])
def test_the_list_and_the_radar_cost_the_same_with_3_or_12_sessions(
    world, client_for, django_assert_max_num_queries, name
):
    client = client_for("elu")
    people = _people(world, 3)
    sessions = [_session_with(world, people, status=EvaluationStatus.CLOSED) for _ in range(3)]
    url = (
        reverse("methods:evaluations_project", args=[world.project.pk])
        if name == "evaluations_project"
        else _url(name, sessions[0])
    )
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    sessions += [_session_with(world, people, status=EvaluationStatus.CLOSED) for _ in range(9)]
    with django_assert_max_num_queries(len(queries)):
        response = client.get(url)
    assert response.status_code == 200
    if name == "evaluations_project":
        assert response.content.decode().count("Séance à 3") >= 12
