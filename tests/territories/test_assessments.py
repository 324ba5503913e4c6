"""The self-assessment on the 4 fundamentals: recorded by the team or its facilitator, refused to others,
French messages on bad input with nothing saved, the history kept, the radar and the comparison with the
previous assessment, and what the pages cost in queries."""

import datetime
import html
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEntry
from territories.charts import radar_svg
from territories.models import Assessment, AssessmentScore, Fundamental

pytestmark = pytest.mark.django_db

DATE = "2025-03-12"


def _text(response) -> str:
    return html.unescape(response.content.decode())


def _client(user=None):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _list_url(territory):
    return reverse("territories:assessments", args=[territory.pk])


def _new_url(territory):
    return reverse("territories:assessment_new", args=[territory.pk])


def _detail_url(assessment):
    return reverse("territories:assessment_detail", args=[assessment.territory_id, assessment.pk])


def _form(levels=(3, 2, 1, 4), date=DATE, **changes):
    data = {"date": date, "comment": "Une année de coopération.", "discussed_with": ""}
    for fundamental, level in zip(Fundamental.values, levels, strict=True):
        data[f"level_{fundamental}"] = str(level)
        data[f"evidence_{fundamental}"] = f"Preuve du fondamental {fundamental}"
        data[f"comment_{fundamental}"] = f"Commentaire du fondamental {fundamental}"
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def _levels(assessment) -> dict[int, int]:
    return {score.fundamental: score.level for score in assessment.scores.all()}


def _input_value(response, name) -> str | None:
    content = response.content.decode()
    for tag in re.findall(r"<input[^>]*>", content):
        if f'name="{name}"' in tag and ('type="radio"' not in tag or " checked" in tag):
            found = re.search(r'value="([^"]*)"', tag)
            return html.unescape(found.group(1)) if found else ""
    return None


def _textarea(response, name) -> str | None:
    found = re.search(
        rf'<textarea[^>]*name="{re.escape(name)}"[^>]*>(.*?)</textarea>', response.content.decode(), re.S
    )
    return html.unescape(found.group(1)).strip() if found else None


# --- Recording an assessment ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["agent", "facilitator"])
def test_the_team_and_its_facilitator_record_an_assessment(role, world):
    user = world.users[role]
    facilitator = world.users["facilitator"]
    client = _client(user)

    assert client.get(_new_url(world.territory)).status_code == 200
    response = client.post(_new_url(world.territory), _form(discussed_with=str(facilitator.pk)))

    assessment = Assessment.objects.exclude(pk=world.assessment.pk).get(territory=world.territory)
    assert response.status_code == 302
    assert response["Location"] == _detail_url(assessment)
    assert assessment.date == datetime.date(2025, 3, 12)
    assert assessment.recorded_by == user
    assert assessment.discussed_with == facilitator
    assert assessment.comment == "Une année de coopération."
    assert _levels(assessment) == {1: 3, 2: 2, 3: 1, 4: 4}
    score = assessment.scores.get(fundamental=Fundamental.COOPERATION)
    assert score.evidence == "Preuve du fondamental 2"
    assert score.comment == "Commentaire du fondamental 2"
    assert AuditEntry.objects.filter(action="assessment.record", actor=user).exists()
    page = _text(client.get(response["Location"]))
    assert "L'auto-évaluation du 12 mars 2025 est enregistrée." in page


def test_an_agent_of_another_territory_is_refused_the_assessments_of_a_published_territory(world):
    client = _client(world.users["outsider"])

    assert client.get(_list_url(world.territory)).status_code == 403
    assert client.get(_new_url(world.territory)).status_code == 403
    assert client.post(_new_url(world.territory), _form()).status_code == 403
    assert client.get(_detail_url(world.assessment)).status_code == 403
    assert world.territory.assessments.count() == 1


def test_an_unpublished_territory_does_not_reveal_its_assessments_to_an_outsider(world):
    world.territory.is_published = False
    world.territory.save(update_fields=["is_published"])
    client = _client(world.users["outsider"])

    assert client.get(_list_url(world.territory)).status_code == 404
    assert client.post(_new_url(world.territory), _form()).status_code == 404
    assert client.get(_detail_url(world.assessment)).status_code == 404
    assert world.territory.assessments.count() == 1


def test_anonymous_visitors_are_sent_to_the_login_page(world):
    client = _client()
    for url in (_list_url(world.territory), _new_url(world.territory), _detail_url(world.assessment)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    client.post(_new_url(world.territory), _form())
    assert world.territory.assessments.count() == 1


def test_an_assessment_of_another_territory_is_not_found_under_this_one(world):
    other = Assessment.objects.create(territory=world.other_territory, date=DATE)
    url = reverse("territories:assessment_detail", args=[world.territory.pk, other.pk])

    assert _client(world.users["agent"]).get(url).status_code == 404


def test_the_form_starts_from_the_previous_levels_and_today(world):
    previous = world.territory.assessments.get()
    previous.scores.filter(fundamental=Fundamental.TRAINING).update(level=4)

    response = _client(world.users["agent"]).get(_new_url(world.territory))

    assert _input_value(response, "date") == timezone.localdate().isoformat()
    assert [_input_value(response, f"level_{f}") for f in Fundamental.values] == ["2", "2", "4", "2"]
    page = _text(response)
    for fundamental in Fundamental:
        assert f"<legend>{fundamental.value}. {fundamental.label}</legend>" in page
    assert "Les niveaux sont repris de l'auto-évaluation du 15 janvier 2022" in page
    assert "Niveau à la précédente auto-évaluation : 4 — ancré et partagé" in page


def test_the_facilitator_is_proposed_as_the_one_it_was_discussed_with(world):
    facilitator = world.users["facilitator"]

    as_facilitator = _client(facilitator).get(_new_url(world.territory))
    as_agent = _client(world.users["agent"]).get(_new_url(world.territory))

    selected = rf'<option value="{facilitator.pk}" selected>'
    assert re.search(selected, as_facilitator.content.decode())
    assert not re.search(selected, as_agent.content.decode())
    assert "Fanny Accompagnatrice" in _text(as_agent)


def test_a_first_assessment_starts_with_no_level_chosen(world):
    world.territory.assessments.all().delete()

    response = _client(world.users["agent"]).get(_new_url(world.territory))

    assert response.status_code == 200
    assert all(_input_value(response, f"level_{f}") is None for f in Fundamental.values)


# --- Bad input: a French message, nothing saved, nothing typed lost ----------------------------------


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"level_3": None}, "Choisissez un niveau de maturité, de 0 à 4."),
        ({"level_2": "5"}, "Le niveau de maturité va de 0 à 4."),
        ({"level_1": "-1"}, "Le niveau de maturité va de 0 à 4."),
        ({"level_4": "trois"}, "Le niveau de maturité va de 0 à 4."),
        ({"date": "31/02/2025"}, "Saisissez une date valide, par exemple 15/03/2025."),
        ({"date": "pas une date"}, "Saisissez une date valide, par exemple 15/03/2025."),
        ({"date": ""}, "Indiquez la date de l'auto-évaluation."),
        ({"date": "0025-03-12"}, "Vérifiez l'année : la date doit être comprise entre 2000 et 2100."),
        ({"date": "0001-01-01"}, "Vérifiez l'année : la date doit être comprise entre 2000 et 2100."),
        ({"evidence_1": "x" * 5001}, "Assurez-vous que cette valeur comporte au plus 5000 caractères"),
    ],
)
def test_bad_input_gets_a_french_message_and_saves_nothing(changes, message, world):
    response = _client(world.users["agent"]).post(_new_url(world.territory), _form(**changes))

    assert response.status_code == 200
    page = _text(response)
    assert message in page
    assert "Corrigez les champs signalés ci-dessous ; ce que vous avez saisi est conservé." in page
    assert world.territory.assessments.count() == 1
    assert _textarea(response, "comment") == "Une année de coopération."
    if "evidence_1" not in changes:
        assert _textarea(response, "evidence_1") == "Preuve du fondamental 1"
    if "level_1" not in changes:
        assert _input_value(response, "level_1") == "3"


def test_a_date_in_the_future_is_refused(world):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    response = _client(world.users["agent"]).post(_new_url(world.territory), _form(date=tomorrow.isoformat()))

    assert "La date ne peut pas être dans le futur." in _text(response)
    assert world.territory.assessments.count() == 1


def test_only_a_facilitator_of_the_territory_can_be_named_as_the_one_it_was_discussed_with(world):
    response = _client(world.users["agent"]).post(
        _new_url(world.territory), _form(discussed_with=str(world.users["dgs"].pk))
    )

    assert "Choisissez un·e accompagnateur·ice de ce territoire." in _text(response)
    assert world.territory.assessments.count() == 1


def test_a_french_date_typed_by_hand_is_understood(world):
    _client(world.users["agent"]).post(_new_url(world.territory), _form(date="12/03/2025"))

    assert world.territory.assessments.filter(date=datetime.date(2025, 3, 12)).exists()


# --- History, comparison, radar ------------------------------------------------------------------------


def test_the_history_keeps_every_assessment_newest_first(world):
    client = _client(world.users["agent"])
    client.post(_new_url(world.territory), _form(levels=(1, 1, 1, 1), date="2023-06-01"))
    client.post(_new_url(world.territory), _form(levels=(3, 2, 1, 4), date="2024-09-20"))

    page = _text(client.get(_list_url(world.territory)))
    history = page[page.index('id="history-title"') :]

    assert world.territory.assessments.count() == 3
    dates = ["20 septembre 2024", "1er juin 2023", "15 janvier 2022"]
    positions = [history.index(date) for date in dates]
    assert positions == sorted(positions)
    assert "3 auto-évaluations, de la plus récente à la plus ancienne" in page
    assert "Antoine Agent" in page


def test_the_list_compares_the_latest_assessment_with_the_previous_one(world):
    client = _client(world.users["agent"])
    client.post(_new_url(world.territory), _form(levels=(3, 2, 1, 4), date="2024-09-20"))

    page = _text(client.get(_list_url(world.territory)))

    assert "La dernière auto-évaluation comparée à la précédente" in page
    assert page.count('class="chart chart-radar"') == 1
    assert "Précédente, du 15 janvier 2022" in page


def test_the_later_pages_of_the_history_still_compare_the_latest_two(world):
    _add_assessments(world.territory, 24, world.users["agent"], world.users["facilitator"])
    client = _client(world.users["agent"])

    response = client.get(_list_url(world.territory), {"page": 2})

    page = response.content.decode()
    assert len(re.findall(r'<th scope="row"><a href=', page)) == 5
    assert "Page 2 sur 2" in _text(response)
    assert "Auto-évaluation du 15 janvier 2022" in _text(response)
    assert page.count("stroke-dasharray") == 2  # the previous assessment's outline and its legend


def test_the_detail_shows_each_level_with_its_change_since_the_previous_assessment(world):
    client = _client(world.users["agent"])
    response = client.post(
        _new_url(world.territory),
        _form(levels=(3, 2, 1, 4), evidence_1="<script>alert(1)</script>Groupes de pairs"),
    )

    detail = client.get(response["Location"])
    page = _text(detail)

    assert "Comparée à l'auto-évaluation précédente" in page
    rows = re.findall(r"<tr>\s*<th scope=\"row\">(.*?)</tr>", page, re.S)
    assert len(rows) == 4
    changes = [re.findall(r"<td>(.*?)</td>", row)[-1] for row in rows]
    assert changes == ["+1", "stable", "−1", "+2"]
    assert "3 — installé" in page
    assert "Preuve du fondamental 2" in page
    assert "Commentaire du fondamental 4" in page
    assert "<script>alert(1)</script>" not in detail.content.decode()
    assert "Groupes de pairs" in page


def test_the_first_assessment_is_shown_without_a_comparison(world):
    page = _text(_client(world.users["facilitator"]).get(_detail_url(world.assessment)))

    assert "C'est la première auto-évaluation du territoire" in page
    assert "Évolution" not in page
    assert page.count("<polygon") == 5  # the 4 rings and the assessment, no dashed previous one


def test_the_detail_links_to_the_previous_and_the_following_assessments(world):
    client = _client(world.users["agent"])
    client.post(_new_url(world.territory), _form(date="2024-09-20"))
    latest = world.territory.assessments.first()

    first_page = client.get(_detail_url(world.assessment)).content.decode()
    latest_page = client.get(_detail_url(latest)).content.decode()

    assert f'href="{_detail_url(latest)}" rel="next"' in first_page
    assert f'href="{_detail_url(world.assessment)}" rel="prev"' in latest_page


def test_the_radar_draws_the_current_assessment_filled_and_the_previous_one_dashed():
    svg = str(radar_svg({1: 3, 2: 2, 3: 1, 4: 4}, {1: 2, 2: 2, 3: 2, 4: 2}))

    assert svg.startswith("<svg") and 'role="img"' in svg and "viewBox=" in svg
    polygons = re.findall(r"<polygon [^>]*>", svg)
    assert len(polygons) == 4 + 2
    filled = [p for p in polygons if 'fill-opacity="0.22"' in p]
    dashed = [p for p in polygons if "stroke-dasharray" in p]
    assert len(filled) == 1 and len(dashed) == 1
    assert '<title id="fundamentals-radar-title">Radar des 4 fondamentaux</title>' in svg
    assert 'aria-labelledby="fundamentals-radar-title fundamentals-radar-desc"' in svg
    desc = html.unescape(re.search(r"<desc [^>]*>(.*?)</desc>", svg).group(1))
    assert "Créer les conditions d'engagement des acteurs : 3 (précédemment 2)." in desc
    assert "Évaluer les effets, la valeur créée : 4 (précédemment 2)." in desc
    for short_label in ("Engagement", "Coopération", "Formation", "Évaluation"):
        assert f">{short_label}</text>" in svg
    assert "style=" not in svg and "<script" not in svg


def test_the_radar_without_a_previous_assessment_has_a_single_shape_and_legend_entry():
    svg = str(radar_svg({1: 0, 2: 4, 3: 4, 4: 4}))

    assert "stroke-dasharray" not in svg
    assert svg.count("<polygon") == 5
    assert "Dernière auto-évaluation" in svg
    assert "précédemment" not in svg


def test_the_radar_escapes_its_text():
    svg = str(
        radar_svg(
            {1: 1, 2: 1, 3: 1, 4: 1},
            {1: 0, 2: 0, 3: 0, 4: 0},
            current_label='<script>alert("x")</script> & co',
            previous_label="L'équipe <b>",
        )
    )

    assert "<script>" not in svg and "<b>" not in svg
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co" in svg
    assert "L&#x27;équipe &lt;b&gt;" in svg


def test_the_radar_scales_with_the_page_and_keeps_its_labels_inside():
    svg = str(radar_svg({1: 4, 2: 4, 3: 4, 4: 4}, {1: 4, 2: 4, 3: 4, 4: 4}))

    width, height = map(float, re.search(r'viewBox="0 0 ([\d.]+) ([\d.]+)"', svg).groups())
    assert 'width="100%"' in svg and "height=" not in svg.split(">", 1)[0]
    for x, y in re.findall(r'<text x="([\d.]+)" y="([\d.]+)"', svg):
        assert 0 < float(x) < width and 0 < float(y) < height


# --- Query counts ------------------------------------------------------------------------------------


def _add_assessments(territory, count, recorder, facilitator):
    assessments = Assessment.objects.bulk_create(
        Assessment(
            territory=territory,
            date=datetime.date(2010, 1, 1) + datetime.timedelta(days=30 * i),
            recorded_by=recorder,
            discussed_with=facilitator,
        )
        for i in range(count)
    )
    AssessmentScore.objects.bulk_create(
        AssessmentScore(assessment=assessment, fundamental=fundamental, level=i % 5)
        for i, assessment in enumerate(assessments)
        for fundamental in Fundamental.values
    )


# Each page counts one query for the header's unread notifications.
LIST_QUERIES = 13
DETAIL_QUERIES = 15


@pytest.mark.parametrize("count", [3, 60])
def test_the_history_costs_the_same_queries_whatever_its_length(count, world, django_assert_max_num_queries):
    world.territory.assessments.all().delete()
    _add_assessments(world.territory, count, world.users["agent"], world.users["facilitator"])
    client = _client(world.users["facilitator"])

    with django_assert_max_num_queries(LIST_QUERIES):
        response = client.get(_list_url(world.territory))

    assert response.status_code == 200
    assert len(re.findall(r'<th scope="row"><a href=', response.content.decode())) == min(count, 20)


@pytest.mark.parametrize("count", [3, 60])
def test_an_assessment_costs_the_same_queries_whatever_the_history(
    count, world, django_assert_max_num_queries
):
    _add_assessments(world.territory, count, world.users["agent"], world.users["facilitator"])
    client = _client(world.users["agent"])

    with django_assert_max_num_queries(DETAIL_QUERIES):
        response = client.get(_detail_url(world.assessment))

    assert response.status_code == 200
