"""The steps of a note de faisabilité as a Gantt-like chart: server-rendered SVG, every text escaped, with a
<title>/<desc>; the page shows the same steps in a table beside it."""

import datetime
import math

from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.svg import shorten, svg_document

WIDTH = 720
MARGIN = 12
LABEL_WIDTH = 230
ROW_HEIGHT = 30
BAR_HEIGHT = 16
AXIS_HEIGHT = 28
FONT = 13
LABEL_MAX_CHARS = 30
MIN_BAR_WIDTH = 4
MIN_TICK_SPACING = 100
INK, MUTED, GRID, BAR = "#1d2a24", "#4d5b54", "#d9ddd6", "#1f6b4a"


# Months between two labelled ticks: from every month to a century, the first that leaves room for a label.
# Beyond MAX_GRID_MONTHS months only the labelled ticks get a line: the drawing stays small whatever the span.
TICK_STEPS = (1, 2, 3, 4, 6, 12, 24, 60, 120, 240, 600, 1200, 2400, 6000, 12000, 24000, 60000, 120000)
MAX_GRID_MONTHS = 120


def _month_index(day: datetime.date) -> int:
    return day.year * 12 + day.month - 1


def _month_start(index: int) -> datetime.date:
    return datetime.date(index // 12, index % 12 + 1, 1)


def _ticks(first: datetime.date, last: datetime.date, scale: float) -> list[tuple[datetime.date, bool, int]]:
    """The month starts within [first, last] to mark on the axis: (day, labelled, months per label).

    Works on month numbers, never by walking the calendar: a span from year 1 to 9999 costs a few ticks."""
    start = _month_index(first) + (0 if first.day == 1 else 1)
    stop = _month_index(last)
    if stop < start:
        return []
    wanted = math.ceil(MIN_TICK_SPACING / (scale * 30.4))
    every = next((step for step in TICK_STEPS if step >= wanted), TICK_STEPS[-1])
    # Labels of a step of a year or more fall on January of a round year.
    origin = start if every < 12 else -(-start // every) * every
    if stop - start < MAX_GRID_MONTHS:
        return [
            (_month_start(index), index >= origin and (index - origin) % every == 0, every)
            for index in range(start, stop + 1)
        ]
    return [(_month_start(index), True, every) for index in range(origin, stop + 1, every)]


def steps_svg(steps, *, title: str = "", id_prefix: str = "steps", for_print: bool = False) -> SafeString:
    """One row per step, a bar from its start to its end day (at least a few pixels for a one-day step),
    the months marked on the axis. Empty when there is no step.

    Any stored dates draw: the scale counts days as ordinals (the last day may be 9999-12-31) and the axis
    has a bounded number of ticks whatever the span.

    `for_print` draws the same picture with a few nodes (the PDF and office documents): the grid in one path,
    the bars in another, the labels bare. Each node costs the PDF renderer its own drawing state, and a
    per-step tooltip means nothing on paper, where the table of steps follows with every title and date."""
    steps = sorted(steps, key=lambda s: (s.start, s.end, s.pk or 0))
    if not steps:
        return mark_safe("")
    first = min(s.start for s in steps)
    last_day = max(max(s.start, s.end) for s in steps)
    # The last day is drawn whole: the scale runs to the morning after it.
    first_ordinal, end_ordinal = first.toordinal(), last_day.toordinal() + 1
    plot_left, plot_right = LABEL_WIDTH + MARGIN, WIDTH - MARGIN
    scale = (plot_right - plot_left) / (end_ordinal - first_ordinal)

    def x_of(ordinal: int) -> float:
        return plot_left + (ordinal - first_ordinal) * scale

    height = AXIS_HEIGHT + len(steps) * ROW_HEIGHT + MARGIN
    body, grid, bars = [], [], []
    # Month ticks, thinned out so that their labels never overlap.
    ticks = _ticks(first, last_day, scale) or [(first, True, 1)]
    for month, labelled, every in ticks:
        x = x_of(month.toordinal())
        if for_print:
            grid.append(f"M{x:.1f} {AXIS_HEIGHT - 6}V{height - MARGIN}")
        else:
            body.append(
                f'<line x1="{x:.1f}" y1="{AXIS_HEIGHT - 6}" x2="{x:.1f}" y2="{height - MARGIN}" '
                f'stroke="{GRID}" stroke-width="1"/>'
            )
        if labelled and x <= plot_right - 20:
            label = escape(date_format(month, "F Y" if every < 12 else "Y"))
            body.append(
                f'<text x="{x + 3:.1f}" y="{AXIS_HEIGHT - 10}" font-size="{FONT - 1}" fill="{MUTED}">'
                f"{label}</text>"
            )
    for row, step in enumerate(steps):
        y = AXIS_HEIGHT + row * ROW_HEIGHT
        x_start = x_of(step.start.toordinal())
        width = max(MIN_BAR_WIDTH, x_of(max(step.start, step.end).toordinal() + 1) - x_start)
        label = (
            f'<text x="{MARGIN}" y="{y + ROW_HEIGHT / 2 + FONT / 2 - 1:.1f}" font-size="{FONT}" '
            f'fill="{INK}">{escape(shorten(step.title, LABEL_MAX_CHARS))}</text>'
        )
        if for_print:
            body.append(label)
            bar_top = y + (ROW_HEIGHT - BAR_HEIGHT) / 2
            bars.append(f"M{x_start:.1f} {bar_top:.1f}h{width:.1f}v{BAR_HEIGHT}h-{width:.1f}z")
            continue
        full = _("%(title)s : du %(start)s au %(end)s") % {
            "title": step.title,
            "start": date_format(step.start, "SHORT_DATE_FORMAT"),
            "end": date_format(step.end, "SHORT_DATE_FORMAT"),
        }
        body.append(
            f"<g><title>{escape(full)}</title>{label}"
            f'<rect x="{x_start:.1f}" y="{y + (ROW_HEIGHT - BAR_HEIGHT) / 2:.1f}" width="{width:.1f}" '
            f'height="{BAR_HEIGHT}" rx="3" fill="{BAR}"/></g>'
        )
    if for_print:
        # Drawn first, under the labels and the bars, as the separate lines were.
        body.insert(0, f'<path d="{"".join(grid)}" stroke="{GRID}" stroke-width="1" fill="none"/>')
        body.append(f'<path d="{"".join(bars)}" fill="{BAR}"/>')

    title_text = title or _("Calendrier des étapes")
    desc_text = ngettext(
        "Diagramme de %(count)s étape, du %(first)s au %(last)s.",
        "Diagramme de %(count)s étapes, du %(first)s au %(last)s.",
        len(steps),
    ) % {
        "count": len(steps),
        "first": date_format(first, "SHORT_DATE_FORMAT"),
        "last": date_format(last_day, "SHORT_DATE_FORMAT"),
    }
    desc_text += " " + _("Le tableau des étapes en donne le détail.")
    return svg_document(
        width=WIDTH,
        height=height,
        id_prefix=id_prefix,
        title=title_text,
        desc=desc_text,
        body=body,
        css_class="chart-gantt",
    )
