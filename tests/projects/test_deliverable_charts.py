"""The steps' Gantt-like chart: valid XML, described, every text escaped, and small for any dates."""

import datetime
import time
import xml.etree.ElementTree as ET
from types import SimpleNamespace

import pytest

from projects.charts import steps_svg

SVG = "{http://www.w3.org/2000/svg}"


def step(pk, title, start, end):
    return SimpleNamespace(pk=pk, title=title, start=start, end=end)


def test_no_step_draws_nothing():
    assert steps_svg([]) == ""


def test_the_chart_is_valid_xml_with_a_title_a_description_and_one_bar_per_step():
    steps = [
        step(2, "Cycle de formation <CNFPT> & élus", datetime.date(2026, 3, 2), datetime.date(2026, 6, 26)),
        step(1, "Lancement", datetime.date(2026, 1, 12), datetime.date(2026, 1, 12)),
        step(
            3,
            "Un titre d'étape bien trop long pour tenir dans la colonne",
            datetime.date(2026, 9, 1),
            datetime.date(2027, 2, 1),
        ),
    ]
    svg = steps_svg(steps, title="Calendrier « Coopérer »", id_prefix="gantt-7")
    root = ET.fromstring(str(svg))
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img" and root.get("aria-labelledby") == "gantt-7-title gantt-7-desc"
    assert root.find(f"{SVG}title").text == "Calendrier « Coopérer »"
    assert "3 étapes, du 12/01/2026 au 01/02/2027" in root.find(f"{SVG}desc").text
    bars = root.findall(f".//{SVG}g/{SVG}rect")
    assert len(bars) == 3
    # Sorted by start; a one-day step still shows; later steps start further right.
    xs = [float(bar.get("x")) for bar in bars]
    assert xs == sorted(xs)
    assert min(float(bar.get("width")) for bar in bars) >= 4
    titles = [g.find(f"{SVG}title").text for g in root.iter(f"{SVG}g")]
    assert titles[1] == "Cycle de formation <CNFPT> & élus : du 02/03/2026 au 26/06/2026"
    labels = [g.find(f"{SVG}text").text for g in root.iter(f"{SVG}g")]
    assert labels[2].endswith("…") and len(labels[2]) <= 30


def test_the_months_are_marked_on_the_axis():
    svg = steps_svg([step(1, "Année", datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))])
    root = ET.fromstring(str(svg))
    axis_labels = [t.text for t in root.findall(f"{SVG}text")]
    assert axis_labels[0].lower().startswith("jan") and "2026" in axis_labels[0]
    assert len(root.findall(f"{SVG}line")) == 12


def test_the_print_chart_draws_the_same_labels_and_bars_in_a_few_nodes():
    steps = [
        step(1, "Lancement", datetime.date(2026, 1, 12), datetime.date(2026, 2, 1)),
        step(2, "Cycle <CNFPT> & élus", datetime.date(2026, 3, 2), datetime.date(2026, 6, 26)),
        step(3, "Bilan", datetime.date(2026, 9, 1), datetime.date(2026, 9, 1)),
    ]
    screen = ET.fromstring(str(steps_svg(steps)))
    printed = ET.fromstring(str(steps_svg(steps, for_print=True)))
    assert [t.text for t in printed.iter(f"{SVG}text")] == [t.text for t in screen.iter(f"{SVG}text")]
    assert printed.find(f"{SVG}desc").text == screen.find(f"{SVG}desc").text
    grid, bars = printed.findall(f"{SVG}path")
    assert grid.get("d").count("M") == len(screen.findall(f"{SVG}line"))
    # One rectangle per step, where the screen draws it: same left edge and width.
    assert bars.get("d") == "".join(
        f"M{r.get('x')} {r.get('y')}h{r.get('width')}v{r.get('height')}h-{r.get('width')}z"
        for r in screen.iter(f"{SVG}rect")
    )
    assert not printed.findall(f".//{SVG}g") and len(printed.findall(f".//{SVG}title")) == 1
    assert len(list(printed.iter())) < len(list(screen.iter())) / 2


# --- Any stored dates draw, in a bounded drawing ------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (datetime.date.min, datetime.date.max),
        (datetime.date(2026, 1, 12), datetime.date.max),
        (datetime.date.min, datetime.date.min),
        (datetime.date.max, datetime.date.max),
        (datetime.date(2000, 1, 1), datetime.date(2100, 12, 31)),
        # An end before the start (written around the form and its constraint) still draws.
        (datetime.date(2026, 6, 1), datetime.date(2026, 5, 1)),
    ],
)
def test_extreme_dates_draw_a_small_valid_chart(start, end):
    steps = [
        step(1, "Extrême", start, end),
        step(2, "Lancement", datetime.date(2026, 1, 12), datetime.date(2026, 2, 1)),
    ]
    started = time.process_time()
    svg = str(steps_svg(steps))
    printed = str(steps_svg(steps, for_print=True))
    assert time.process_time() - started < 0.4
    assert ET.fromstring(printed).findall(f"{SVG}path")[-1].get("d").count("M") == 2
    assert len(printed) < 30_000
    root = ET.fromstring(svg)
    assert len(root.findall(f".//{SVG}g/{SVG}rect")) == 2
    # A few ticks, whatever the span: never one per month of 10,000 years.
    assert len(root.findall(f"{SVG}line")) <= 130
    assert len(svg) < 30_000
    for bar in root.findall(f".//{SVG}g/{SVG}rect"):
        assert float(bar.get("width")) >= 4


def test_a_span_of_centuries_is_labelled_in_years():
    svg = steps_svg([step(1, "Siècles", datetime.date(1900, 1, 1), datetime.date(2200, 12, 31))])
    labels = [t.text for t in ET.fromstring(str(svg)).findall(f"{SVG}text")]
    assert labels and all(label.isdigit() and int(label) % 50 == 0 for label in labels)
