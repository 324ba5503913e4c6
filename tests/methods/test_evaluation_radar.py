"""The radar of a session and the comparison of sessions over time: valid, accessible, escaped SVG."""

import datetime
import xml.etree.ElementTree as ET
from types import SimpleNamespace

import pytest

from methods.models import ValueDimension
from methods.radar import AGREED, radar_svg, score_text, sessions_comparison_svg

SVG = "{http://www.w3.org/2000/svg}"


class _Rows(list):
    def all(self):
        return self


def _dimensions(count=7):
    names = ["Économique et financière", "Environnementale", "Sociale et santé", "Confiance"]
    names += ["Compétences et apprentissages", "Coopération", "Pertinence du projet pour le territoire"]
    names += [f"Dimension {index}" for index in range(8, 13)]
    return [ValueDimension(pk=index + 1, name=names[index], position=index) for index in range(count)]


def _session(
    dimensions, *, title="Bilan", ratings=(), agreements=(), held_on=datetime.date(2024, 6, 1), pk=1
):
    return SimpleNamespace(
        pk=pk,
        title=title,
        held_on=held_on,
        dimensions=_Rows(dimensions),
        ratings=_Rows(ratings),
        agreements=_Rows(agreements),
    )


def _agreed(dimensions, scores):
    return [
        SimpleNamespace(dimension_id=d.pk, dimension=d, score=s)
        for d, s in zip(dimensions, scores, strict=True)
    ]


def _ratings(dimensions, scores_by_person):
    return [
        SimpleNamespace(dimension_id=d.pk, score=score)
        for scores in scores_by_person
        for d, score in zip(dimensions, scores, strict=True)
    ]


def _parse(svg):
    return ET.fromstring(str(svg))


def test_score_text_uses_a_true_minus_and_an_explicit_plus():
    assert [score_text(s) for s in (-2, -1, 0, 1, 2)] == ["\u22122", "\u22121", "0", "+1", "+2"]


def test_the_radar_is_valid_xml_with_a_title_and_a_description_named_by_its_prefix():
    dimensions = _dimensions()
    session = _session(dimensions, ratings=_ratings(dimensions, [[1] * 7, [2] * 7]))
    root = _parse(radar_svg(session, id_prefix="radar-12"))
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "radar-12-title radar-12-desc"
    assert root.find(f"{SVG}title").get("id") == "radar-12-title"
    assert root.find(f"{SVG}title").text == "Valeur créée — Bilan"
    desc = root.find(f"{SVG}desc")
    assert desc.get("id") == "radar-12-desc"
    assert "Coopération : pas de valeur retenue ; 2 évaluations individuelles, de +1 à +2." in desc.text


@pytest.mark.parametrize("count", [1, 2, 3, 7, 12])
def test_the_radar_has_one_axis_and_one_label_per_dimension(count):
    dimensions = _dimensions(count)
    root = _parse(radar_svg(_session(dimensions)))
    assert len(root.findall(f"{SVG}line[@class='axis']")) == count
    texts = " ".join(t.text for t in root.iter(f"{SVG}text"))
    for dimension in dimensions:
        assert dimension.name.split()[0] in texts


def test_the_agreed_rating_is_a_bold_polygon_once_every_dimension_has_one():
    dimensions = _dimensions()
    session = _session(dimensions, agreements=_agreed(dimensions, [0, 0, 1, 0, 2, 1, 1]))
    root = _parse(radar_svg(session))
    polygons = root.findall(f"{SVG}polygon[@class='agreed']")
    assert len(polygons) == 1
    assert polygons[0].get("stroke") == AGREED and float(polygons[0].get("stroke-width")) >= 3
    assert len(polygons[0].get("points").split()) == 7
    assert "retenue : +2" in [t.text for t in root.iter(f"{SVG}text")]


def test_partial_agreements_are_joined_only_between_neighbours():
    dimensions = _dimensions()
    session = _session(dimensions, agreements=_agreed(dimensions[:3], [1, 2, 0]))
    root = _parse(radar_svg(session))
    assert root.findall(f"{SVG}polygon[@class='agreed']") == []
    agreed_lines = [line for line in root.iter(f"{SVG}line") if line.get("stroke") == AGREED]
    assert len(agreed_lines) == 2 + 1  # two joins between the first three axes, and the legend's line


def test_equal_ratings_stand_side_by_side_instead_of_hiding_each_other():
    dimensions = _dimensions(5)
    session = _session(dimensions, ratings=_ratings(dimensions, [[1] * 5] * 12))
    root = _parse(radar_svg(session))
    for group in root.iter(f"{SVG}g"):
        centres = {(c.get("cx"), c.get("cy")) for c in group.iter(f"{SVG}circle")}
        assert len(centres) == 12
        assert "(12 personnes)" in group.find(f"{SVG}title").text


def test_the_spread_of_the_ratings_is_drawn_from_the_lowest_to_the_highest():
    dimensions = _dimensions(3)
    session = _session(dimensions, ratings=_ratings(dimensions, [[-2, 0, 1], [2, 0, 1]]))
    root = _parse(radar_svg(session))
    bands = [line for line in root.iter(f"{SVG}line") if line.get("stroke-width") == "12"]
    assert len(bands) == 3 + 1  # one per rated dimension, and the legend's


def test_the_radar_escapes_every_text():
    dimensions = [ValueDimension(pk=1, name="<script>alert('x')</script> & co", position=0)]
    dimensions += _dimensions(3)[1:]
    session = _session(dimensions, title='Bilan "<b>final</b>"', agreements=_agreed(dimensions, [1, 1, 1]))
    svg = str(radar_svg(session, id_prefix='x"><script>'))
    assert "<script>" not in svg and "<b>" not in svg
    root = _parse(svg)
    assert root.find(f"{SVG}title").text == 'Valeur créée — Bilan "<b>final</b>"'
    assert "<script>alert('x')</script> & co : valeur retenue +1" in root.find(f"{SVG}desc").text


def test_the_radar_has_no_script_style_or_foreign_object():
    svg = str(radar_svg(_session(_dimensions())))
    for forbidden in ("<script", "<style", "<foreignObject", " style=", "url("):
        assert forbidden not in svg


def test_the_radar_of_the_world_session_reads_its_grid(world):
    root = _parse(radar_svg(world.territory_evaluation, id_prefix="world"))
    assert len(root.findall(f"{SVG}line[@class='axis']")) == world.territory_evaluation.dimensions.count()
    assert "Coopération : valeur retenue +1 ; 2 évaluations individuelles, de 0 à +2." in (
        root.find(f"{SVG}desc").text
    )


# --- Sessions over time ------------------------------------------------------------------------------------


def test_the_comparison_is_empty_without_any_agreed_rating():
    assert sessions_comparison_svg([_session(_dimensions())]) == ""
    assert sessions_comparison_svg([]) == ""


def test_the_comparison_draws_a_panel_per_dimension_and_numbers_the_sessions_by_date():
    dimensions = _dimensions()
    later = _session(
        dimensions,
        title="Bilan à deux ans",
        agreements=_agreed(dimensions, [1, 1, 1, 1, 2, 2, 2]),
        held_on=datetime.date(2025, 6, 1),
        pk=2,
    )
    first = _session(
        dimensions[:5],
        title="Bilan à un an",
        agreements=_agreed(dimensions[:5], [0, 0, 1, -1, 2]),
        held_on=datetime.date(2024, 6, 1),
        pk=1,
    )
    not_yet = _session(dimensions, title="Séance en cours", held_on=datetime.date(2026, 1, 1), pk=3)
    root = _parse(sessions_comparison_svg([later, not_yet, first], id_prefix="cmp"))
    assert root.get("aria-labelledby") == "cmp-title cmp-desc"
    assert len(root.findall(f"{SVG}rect[@class='panel']")) == 7
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "1 — 1er juin 2024 : Bilan à un an" in texts
    assert "2 — 1er juin 2025 : Bilan à deux ans" in texts
    assert not any("Séance en cours" in text for text in texts)
    desc = root.find(f"{SVG}desc").text
    assert "sur 2 séances" in desc
    assert "Confiance : \u22121 (séance 1), +1 (séance 2)." in desc
    assert "Coopération : +2 (séance 2)." in desc


def test_the_comparison_escapes_every_text():
    dimensions = [ValueDimension(pk=1, name="<i>Confiance</i> & co", position=0)]
    session = _session(dimensions, title="<script>x</script>", agreements=_agreed(dimensions, [2]))
    svg = str(sessions_comparison_svg([session], id_prefix="c"))
    assert "<script>" not in svg and "<i>" not in svg
    _parse(svg)
