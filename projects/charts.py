"""The steps of a note de faisabilité as a Gantt-like chart: server-rendered SVG, every text escaped, with a
<title>/<desc>; the page shows the same steps in a table beside it."""

import datetime
import math

from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

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


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= LABEL_MAX_CHARS else text[: LABEL_MAX_CHARS - 1].rstrip() + "…"


def _month_starts(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    months, day = [], first.replace(day=1)
    while day < last:
        months.append(day)
        day = (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return months


def steps_svg(steps, *, title: str = "", id_prefix: str = "steps") -> SafeString:
    """One row per step, a bar from its start to its end day (at least a few pixels for a one-day step),
    the months marked on the axis. Empty when there is no step."""
    steps = sorted(steps, key=lambda s: (s.start, s.end, s.pk or 0))
    if not steps:
        return mark_safe("")
    first = min(s.start for s in steps)
    # The last day is drawn whole: the scale runs to the morning after it.
    last = max(s.end for s in steps) + datetime.timedelta(days=1)
    days = (last - first).days
    plot_left, plot_right = LABEL_WIDTH + MARGIN, WIDTH - MARGIN
    scale = (plot_right - plot_left) / days

    def x_of(day: datetime.date) -> float:
        return plot_left + (day - first).days * scale

    height = AXIS_HEIGHT + len(steps) * ROW_HEIGHT + MARGIN
    body = []
    # Month ticks, thinned out so that their labels never overlap.
    months = [m for m in _month_starts(first, last) if m >= first] or [first]
    every = max(1, math.ceil(MIN_TICK_SPACING / (scale * 30.4)))
    for index, month in enumerate(months):
        x = x_of(month)
        body.append(
            f'<line x1="{x:.1f}" y1="{AXIS_HEIGHT - 6}" x2="{x:.1f}" y2="{height - MARGIN}" '
            f'stroke="{GRID}" stroke-width="1"/>'
        )
        if index % every == 0 and x <= plot_right - 20:
            label = escape(date_format(month, "F Y"))
            body.append(
                f'<text x="{x + 3:.1f}" y="{AXIS_HEIGHT - 10}" font-size="{FONT - 1}" fill="{MUTED}">'
                f"{label}</text>"
            )
    for row, step in enumerate(steps):
        y = AXIS_HEIGHT + row * ROW_HEIGHT
        x_start = x_of(step.start)
        width = max(MIN_BAR_WIDTH, x_of(step.end + datetime.timedelta(days=1)) - x_start)
        full = _("%(title)s : du %(start)s au %(end)s") % {
            "title": step.title,
            "start": date_format(step.start, "SHORT_DATE_FORMAT"),
            "end": date_format(step.end, "SHORT_DATE_FORMAT"),
        }
        body.append(
            f"<g><title>{escape(full)}</title>"
            f'<text x="{MARGIN}" y="{y + ROW_HEIGHT / 2 + FONT / 2 - 1:.1f}" font-size="{FONT}" '
            f'fill="{INK}">{escape(_short(step.title))}</text>'
            f'<rect x="{x_start:.1f}" y="{y + (ROW_HEIGHT - BAR_HEIGHT) / 2:.1f}" width="{width:.1f}" '
            f'height="{BAR_HEIGHT}" rx="3" fill="{BAR}"/></g>'
        )

    title_text = title or _("Calendrier des étapes")
    desc_text = ngettext(
        "Diagramme de %(count)s étape, du %(first)s au %(last)s.",
        "Diagramme de %(count)s étapes, du %(first)s au %(last)s.",
        len(steps),
    ) % {
        "count": len(steps),
        "first": date_format(first, "SHORT_DATE_FORMAT"),
        "last": date_format(last - datetime.timedelta(days=1), "SHORT_DATE_FORMAT"),
    }
    desc_text += " " + _("Le tableau des étapes en donne le détail.")
    prefix = escape(id_prefix)
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-gantt" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" preserveAspectRatio="xMinYMin meet" '
        f'aria-labelledby="{prefix}-title {prefix}-desc" font-family="system-ui, sans-serif">'
        f'<title id="{prefix}-title">{escape(title_text)}</title>'
        f'<desc id="{prefix}-desc">{escape(desc_text)}</desc>'
        f"{''.join(body)}</svg>"
    )
    return mark_safe(svg)  # noqa: S308 - every text above went through escape()
