"""Contrast, computed (WCAG 2.x relative luminance): every text colour of the stylesheet on the background its
rule gives it, or on the page and card backgrounds; the focus ring; and the colours of the charts drawn on the
server (actor map, actantial schema, schedule, radars, trajectory). RGAA 3.2 (text, 4.5:1), 3.3 and 10.7
(components and graphics, 3:1)."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from methods import actantial_diagram, actor_map, radar
from projects import charts as project_charts
from territories import charts as territory_charts

STYLESHEET = Path(settings.BASE_DIR) / "static" / "css" / "site.css"
TEXT, GRAPHIC = 4.5, 3.0


def luminance(colour):
    value = colour.lstrip("#")
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    channels = [int(value[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a, b):
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_the_contrast_formula_gives_the_known_values():
    assert contrast("#000000", "#ffffff") == pytest.approx(21)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert contrast("#ffffff", "#ffffff") == pytest.approx(1)


def _stylesheet():
    css = re.sub(r"/\*.*?\*/", "", STYLESHEET.read_text(encoding="utf-8"), flags=re.S)
    variables = dict(re.findall(r"(--[\w-]+):\s*(#[0-9a-fA-F]{3,6})\b", css))

    def resolve(value):
        value = value.strip()
        match = re.fullmatch(r"var\((--[\w-]+)\)", value)
        if match:
            return variables.get(match.group(1))
        return value if re.fullmatch(r"#[0-9a-fA-F]{3}|#[0-9a-fA-F]{6}", value) else None

    rules = []
    for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css):
        declarations = dict(
            (name.strip(), value.strip()) for name, value in re.findall(r"([\w-]+)\s*:\s*([^;]+)", body)
        )
        colour = resolve(declarations.get("color", ""))
        background = resolve(declarations.get("background", declarations.get("background-color", "")))
        rules.append((selectors.strip(), colour, background))
    return variables, rules


def test_every_text_colour_of_the_stylesheet_reads_at_4_5_to_1_on_its_background():
    variables, rules = _stylesheet()
    page_backgrounds = (variables["--paper"], variables["--card"])
    checked, failures = 0, []
    for selectors, colour, background in rules:
        if not colour:
            continue
        for ground in (background,) if background else page_backgrounds:
            checked += 1
            ratio = contrast(colour, ground)
            if ratio < TEXT:
                failures.append(f"{selectors}: {colour} on {ground} = {ratio:.2f}:1")
    assert checked > 80, checked
    assert failures == []


def test_the_field_borders_and_the_focus_ring_stand_out_at_3_to_1():
    variables, _rules = _stylesheet()
    for ground in (variables["--paper"], variables["--card"], variables["--accent-soft"]):
        assert contrast("#7b867f", ground) >= GRAPHIC  # every field's border
        assert contrast(variables["--ink"], ground) >= GRAPHIC  # the focus ring's outline
        assert contrast(variables["--accent"], ground) >= GRAPHIC  # buttons, checked choices


@pytest.mark.parametrize(
    ("name", "pairs"),
    [
        (
            "actor map",
            [(actor_map.INK, fill, TEXT) for fill, _border in actor_map.FAMILY_COLOURS.values()]
            + [(border, actor_map.WHITE, GRAPHIC) for _fill, border in actor_map.FAMILY_COLOURS.values()]
            + [(colour, actor_map.WHITE, GRAPHIC) for colour, _dash in actor_map.SIGN_STYLE.values()]
            + [
                (actor_map.MUTED, actor_map.WHITE, TEXT),
                (actor_map.WHITE, actor_map.CHAIN, TEXT),
                (actor_map.CHAIN, actor_map.WHITE, GRAPHIC),
            ],
        ),
        (
            "actantial schema",
            [
                (text, ground, TEXT)
                for fill, header, _border in actantial_diagram.COLOURS.values()
                for ground in (fill, header)
                for text in (actantial_diagram.INK, actantial_diagram.MUTED)
            ]
            + [(border, "#ffffff", GRAPHIC) for _fill, _header, border in actantial_diagram.COLOURS.values()]
            + [(actantial_diagram.ARROW, "#ffffff", GRAPHIC)],
        ),
        (
            "schedule",
            [
                (project_charts.INK, "#ffffff", TEXT),
                (project_charts.MUTED, "#ffffff", TEXT),
                (project_charts.BAR, "#ffffff", GRAPHIC),
            ],
        ),
        (
            "value radar",
            [(radar.INK, zone, TEXT) for zone in (radar.NEGATIVE_ZONE, radar.POSITIVE_ZONE, "#ffffff")]
            + [(radar.MUTED, zone, TEXT) for zone in (radar.NEGATIVE_ZONE, radar.POSITIVE_ZONE, "#ffffff")]
            + [(line, "#ffffff", GRAPHIC) for line in (radar.AGREED, radar.INDIVIDUAL, radar.GRID_STRONG)],
        ),
        (
            "territory charts",
            [
                (territory_charts._INK, "#ffffff", TEXT),
                (territory_charts._MUTED, "#ffffff", TEXT),
                (territory_charts.RADAR_CURRENT_COLOUR, "#ffffff", GRAPHIC),
                (territory_charts.RADAR_PREVIOUS_COLOUR, "#ffffff", GRAPHIC),
            ],
        ),
    ],
)
def test_the_colours_of_each_chart_meet_the_contrast_of_text_and_graphics(name, pairs):
    failures = [
        f"{front} on {ground} = {contrast(front, ground):.2f}:1 (< {minimum})"
        for front, ground, minimum in pairs
        if contrast(front, ground) < minimum
    ]
    assert failures == [], name
