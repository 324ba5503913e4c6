"""Server-rendered SVG charts of a territory: readable without JavaScript, every text escaped, each with a
<title>/<desc> and a text alternative next to it in the page."""

import math
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext_lazy

from core.svg import Radar, coord, shorten, svg_document, svg_text, text_width

from .models import Fundamental, MilestoneKind

# --- Trajectory timeline -------------------------------------------------------------------------------

TIMELINE_WIDTH = 720
TIMELINE_MARGIN = 24
LABEL_FONT = 15
YEAR_FONT = 13
LABEL_MAX_CHARS = 42
LANE_HEIGHT = 44
LABEL_GAP = 14
MIN_YEAR_SPACING = 46
MAX_YEAR_TICKS = 200

# Colour and shape by kind: the shape tells the kinds apart for those who don't see the colours.
KIND_STYLES = {
    MilestoneKind.STRATEGY: ("#1f6b4a", "square"),
    MilestoneKind.TURNING_POINT: ("#a3261b", "diamond"),
    MilestoneKind.ACCOMPANIMENT: ("#2b5c9e", "circle"),
    MilestoneKind.END_OF_SCHEME: ("#6a4c93", "cross"),
    MilestoneKind.OTHER: ("#4d5b54", "triangle"),
}


@dataclass
class _Placed:
    milestone: object
    x_start: float
    x_end: float
    label: str
    label_x: float
    anchor: str
    lane: int = 0


def _shape(kind: str, x: float, y: float, size: float = 7) -> str:
    colour, shape = KIND_STYLES.get(kind, KIND_STYLES[MilestoneKind.OTHER])
    match shape:
        case "square":
            return (
                f'<rect x="{x - size:.1f}" y="{y - size:.1f}" width="{2 * size:.1f}" '
                f'height="{2 * size:.1f}" fill="{colour}"/>'
            )
        case "diamond":
            s = size * 1.35
            return (
                f'<polygon points="{x:.1f},{y - s:.1f} {x + s:.1f},{y:.1f} {x:.1f},{y + s:.1f} '
                f'{x - s:.1f},{y:.1f}" fill="{colour}"/>'
            )
        case "circle":
            return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{size:.1f}" fill="{colour}"/>'
        case "cross":
            s = size * 0.9
            return (
                f'<path d="M{x - s:.1f},{y - s:.1f} L{x + s:.1f},{y + s:.1f} M{x + s:.1f},{y - s:.1f} '
                f'L{x - s:.1f},{y + s:.1f}" stroke="{colour}" stroke-width="4" stroke-linecap="round"/>'
            )
    s = size * 1.2
    return (
        f'<polygon points="{x:.1f},{y - s:.1f} {x + s:.1f},{y + s * 0.8:.1f} {x - s:.1f},{y + s * 0.8:.1f}" '
        f'fill="{colour}"/>'
    )


def _haloed_text(attributes: str, fill: str, text: str) -> str:
    """A text with a white outline under it, drawn as two texts: the outline first (hidden from assistive
    technologies), then the text. `paint-order` would do it in one, but WeasyPrint ignores it and would
    draw the outline over the letters in the PDF. `text` must be escaped already."""
    return (
        f'<text {attributes} fill="#fff" stroke="#fff" stroke-width="4" stroke-linejoin="round" '
        f'aria-hidden="true">{text}</text><text {attributes} fill="{fill}">{text}</text>'
    )


def _label_of(milestone) -> str:
    return shorten(f"{milestone.years} · {milestone.title}", LABEL_MAX_CHARS)


def _place_in_lanes(placed: list[_Placed]) -> int:
    """Give each milestone the first row where neither its marker nor its label overlaps another one."""
    lanes: list[float] = []  # the rightmost occupied x of each row
    for item in placed:
        width = text_width(item.label, LABEL_FONT)
        if item.anchor == "start":
            left, right = item.label_x, item.label_x + width
        else:
            left, right = item.label_x - width, item.label_x
        left = min(left, item.x_start) - LABEL_GAP / 2
        right = max(right, item.x_end) + LABEL_GAP / 2
        for index, occupied_until in enumerate(lanes):
            if left >= occupied_until:
                item.lane = index
                lanes[index] = right
                break
        else:
            item.lane = len(lanes)
            lanes.append(right)
    return len(lanes)


def _legend(kinds_present: list[str]) -> tuple[str, float]:
    """The legend on as many rows as needed at the top of the drawing; returns its SVG and its height."""
    parts, x, y = [], TIMELINE_MARGIN, 10
    for kind in kinds_present:
        label = str(MilestoneKind(kind).label)
        width = 26 + text_width(label, YEAR_FONT) + 22
        if x + width > TIMELINE_WIDTH - TIMELINE_MARGIN and x > TIMELINE_MARGIN:
            x, y = TIMELINE_MARGIN, y + 26
        parts.append(_shape(kind, x + 8, y, size=6))
        parts.append(
            f'<text x="{x + 22:.1f}" y="{y + 5:.1f}" font-size="{YEAR_FONT}" fill="#1d2a24">'
            f"{escape(label)}</text>"
        )
        x += width
    return "".join(parts), y + 20


def trajectory_svg(milestones, *, title: str = "", id_prefix: str = "trajectory") -> SafeString:
    """A horizontal timeline of the milestones over the years they span: a marker per milestone (a bar from
    its start to its end year when it lasted), coloured and shaped by kind, labels staggered on rows so that
    none overlaps another, and a legend. Empty when there is no milestone."""
    milestones = sorted(milestones, key=lambda m: (m.start_year, m.end_year or m.start_year, m.pk or 0))
    if not milestones:
        return mark_safe("")
    first = min(m.start_year for m in milestones)
    last = max(max(m.start_year, m.end_year or m.start_year) for m in milestones)
    years = last - first + 1
    plot_left, plot_right = TIMELINE_MARGIN + 8, TIMELINE_WIDTH - TIMELINE_MARGIN - 8
    cell = (plot_right - plot_left) / years

    def x_of(year: int) -> float:
        return plot_left + (year - first + 0.5) * cell

    placed = []
    for milestone in milestones:
        x_start = x_of(milestone.start_year)
        x_end = x_of(max(milestone.start_year, milestone.end_year or milestone.start_year))
        label = _label_of(milestone)
        # The label starts at the marker; near the right edge it ends at the marker instead.
        if x_start + text_width(label, LABEL_FONT) <= TIMELINE_WIDTH - TIMELINE_MARGIN:
            label_x, anchor = x_start, "start"
        else:
            label_x, anchor = max(x_end, TIMELINE_MARGIN + text_width(label, LABEL_FONT)), "end"
        placed.append(_Placed(milestone, x_start, x_end, label, label_x, anchor))
    lane_count = _place_in_lanes(placed)

    kinds_present = [kind for kind in KIND_STYLES if any(m.kind == kind for m in milestones)]
    legend, legend_height = _legend(kinds_present)
    lanes_top = legend_height + 12
    axis_y = lanes_top + lane_count * LANE_HEIGHT + 8
    height = axis_y + YEAR_FONT + 22

    body = [legend]
    # The axis, its ticks and years: one tick per year, a year written every `step` years.
    step = max(1, math.ceil(MIN_YEAR_SPACING / cell))
    body.append(
        f'<line x1="{plot_left - 8}" y1="{axis_y:.1f}" x2="{plot_right + 8}" y2="{axis_y:.1f}" '
        'stroke="#4d5b54" stroke-width="2"/>'
    )
    # A tick per year up to MAX_YEAR_TICKS years; beyond, only the written years: a bounded drawing for any
    # stored years.
    for year in range(first, last + 1, 1 if years <= MAX_YEAR_TICKS else step):
        x = x_of(year)
        written = (year - first) % step == 0
        body.append(
            f'<line x1="{x:.1f}" y1="{axis_y:.1f}" x2="{x:.1f}" y2="{axis_y + (7 if written else 4):.1f}" '
            'stroke="#4d5b54" stroke-width="1"/>'
        )
        if written:
            body.append(
                f'<text x="{x:.1f}" y="{axis_y + YEAR_FONT + 10:.1f}" font-size="{YEAR_FONT}" '
                f'text-anchor="middle" fill="#1d2a24">{year}</text>'
            )

    for item in placed:
        m = item.milestone
        colour, _shape_name = KIND_STYLES.get(m.kind, KIND_STYLES[MilestoneKind.OTHER])
        y = lanes_top + item.lane * LANE_HEIGHT + LANE_HEIGHT - 12
        full = f"{m.years} — {m.get_kind_display()} — {m.title}"
        parts = [f"<g><title>{escape(full)}</title>"]
        parts.append(
            f'<line x1="{item.x_start:.1f}" y1="{y:.1f}" x2="{item.x_start:.1f}" y2="{axis_y:.1f}" '
            f'stroke="{colour}" stroke-width="1" stroke-opacity="0.6" stroke-dasharray="3 3"/>'
        )
        if item.x_end > item.x_start:
            parts.append(
                f'<rect x="{item.x_start:.1f}" y="{y - 4:.1f}" width="{item.x_end - item.x_start:.1f}" '
                f'height="8" rx="4" fill="{colour}" fill-opacity="0.45"/>'
            )
        parts.append(_shape(m.kind, item.x_start, y))
        # A white outline keeps a label readable where the guide of an earlier step crosses it.
        parts.append(
            _haloed_text(
                f'x="{item.label_x:.1f}" y="{y - 13:.1f}" font-size="{LABEL_FONT}" '
                f'text-anchor="{item.anchor}"',
                "#1d2a24",
                escape(item.label),
            )
        )
        parts.append("</g>")
        body.append("".join(parts))

    title_text = title or _("Trajectoire de transition")
    desc_text = ngettext(
        "Frise chronologique de %(count)s étape, de %(first)s à %(last)s.",
        "Frise chronologique de %(count)s étapes, de %(first)s à %(last)s.",
        len(milestones),
    ) % {"count": len(milestones), "first": first, "last": last}
    desc_text += " " + _("La liste qui suit en donne le détail.")
    return svg_document(
        width=TIMELINE_WIDTH,
        height=f"{height:.0f}",
        id_prefix=id_prefix,
        title=title_text,
        desc=desc_text,
        body=body,
        css_class="chart-timeline",
    )


# --- Radar of the 4 fundamentals ------------------------------------------------------------------

FUNDAMENTAL_SHORT_LABELS = {
    Fundamental.ENGAGEMENT: pgettext_lazy("fondamental", "Engagement"),
    Fundamental.COOPERATION: pgettext_lazy("fondamental", "Coopération"),
    Fundamental.TRAINING: pgettext_lazy("fondamental", "Formation"),
    Fundamental.EVALUATION: pgettext_lazy("fondamental", "Évaluation"),
}

RADAR_CURRENT_COLOUR = "#1f6b4a"
RADAR_PREVIOUS_COLOUR = "#8a4b00"
RADAR_WIDTH = 380
RADAR_MAX_LEVEL = 4
_INK, _MUTED, _GRID = "#1d2a24", "#4d5b54", "#a9b2ab"
# The axes run to the four corners, the first fundamental to the upper left: their labels sit above and below
# the chart, where a phone's narrow screen leaves room, rather than left and right of it.
_RADAR = Radar(
    count=len(Fundamental), cx=RADAR_WIDTH / 2, cy=136, outer=140, low=0, high=RADAR_MAX_LEVEL,
    start_degrees=-135,
)


def _radar_points(levels: dict[int, int]) -> str:
    # A fundamental without a level (a score deleted in the admin) is drawn at the centre, said "—".
    return _RADAR.points(levels.get(f, 0) for f in Fundamental.values)


def _radar_description(current: dict[int, int], previous: dict[int, int] | None) -> str:
    parts = [_("Niveaux de maturité de 0 (absent, au centre) à 4 (ancré et partagé, à l'extérieur).")]
    for fundamental in Fundamental:
        values = {"fundamental": fundamental.label, "level": current.get(fundamental, "—")}
        if previous is None:
            parts.append(_("%(fundamental)s : %(level)s.") % values)
        else:
            values["previous"] = previous.get(fundamental, "—")
            parts.append(_("%(fundamental)s : %(level)s (précédemment %(previous)s).") % values)
    return " ".join(parts)


def _radar_grid() -> list[str]:
    """The rings of the levels 1 to 4 and the axes."""
    ring, axis = f'fill="none" stroke="{_GRID}" stroke-width="1"', f'stroke="{_MUTED}" stroke-width="1.5"'
    body = [_RADAR.ring(_RADAR.radius(level), ring) for level in range(1, RADAR_MAX_LEVEL + 1)]
    body.extend(_RADAR.axis(index, 0, _RADAR.outer, axis) for index in range(_RADAR.count))
    return body


def _radar_labels() -> list[str]:
    """The level numbers and the fundamentals' names."""
    # The level numbers sit where each ring crosses the vertical through the centre, between two axes.
    body = [
        _haloed_text(
            f'x="{coord(_RADAR.cx)}" y="{coord(_RADAR.cy - _RADAR.radius(level) / math.sqrt(2) + 5)}" '
            'text-anchor="middle" font-size="14"',
            _MUTED,
            str(level),
        )
        for level in range(RADAR_MAX_LEVEL + 1)
    ]
    for index, fundamental in enumerate(Fundamental):
        x, y = _RADAR.at(index, RADAR_MAX_LEVEL)
        body.append(
            svg_text(
                x,
                y - 12 if y < _RADAR.cy else y + 26,
                str(FUNDAMENTAL_SHORT_LABELS[fundamental]),
                size=17,
                fill=_INK,
                anchor="middle",
                weight="700",
            )
        )
    return body


def _radar_legend(current_label, previous_label, has_previous: bool) -> tuple[list[str], float]:
    legend_y = round(_RADAR.cy + _RADAR.outer / math.sqrt(2) + 70)
    body = [
        f'<rect x="12" y="{legend_y - 13}" width="28" height="16" rx="2" fill="{RADAR_CURRENT_COLOUR}" '
        f'fill-opacity="0.22" stroke="{RADAR_CURRENT_COLOUR}" stroke-width="3"/>',
        svg_text(52, legend_y, current_label or _("Dernière auto-évaluation"), size=15, fill=_INK),
    ]
    height = legend_y + 12
    if has_previous:
        line_y = legend_y + 23
        body.append(
            f'<line x1="12" y1="{line_y}" x2="40" y2="{line_y}" stroke="{RADAR_PREVIOUS_COLOUR}" '
            'stroke-width="3" stroke-dasharray="7 5"/>'
        )
        previous_label = previous_label or _("Auto-évaluation précédente")
        body.append(svg_text(52, line_y + 5, previous_label, size=15, fill=_INK))
        height += 28
    return body, height


def radar_svg(
    current: dict[int, int],
    previous: dict[int, int] | None = None,
    *,
    current_label: str | None = None,
    previous_label: str | None = None,
    id_prefix: str = "fundamentals-radar",
) -> SafeString:
    """The levels of an assessment on the 4 fundamentals as a radar, the previous assessment dashed.

    `current` and `previous` map each fundamental to its 0–4 level; the labels name them in the legend.
    The <title> and <desc> give the values with the fundamentals' full names; pages show the same values
    in a table beside the chart.
    """
    body = _radar_grid()
    body.append(
        f'<polygon points="{_radar_points(current)}" fill="{RADAR_CURRENT_COLOUR}" fill-opacity="0.22" '
        f'stroke="{RADAR_CURRENT_COLOUR}" stroke-width="3" stroke-linejoin="round"/>'
    )
    body.extend(
        f'<circle cx="{coord(x)}" cy="{coord(y)}" r="4.5" fill="{RADAR_CURRENT_COLOUR}"/>'
        for x, y in (_RADAR.at(index, current.get(f, 0)) for index, f in enumerate(Fundamental.values))
    )
    if previous is not None:
        body.append(
            f'<polygon points="{_radar_points(previous)}" fill="none" stroke="{RADAR_PREVIOUS_COLOUR}" '
            'stroke-width="2.5" stroke-dasharray="7 5" stroke-linejoin="round"/>'
        )
    body.extend(_radar_labels())
    legend, height = _radar_legend(current_label, previous_label, previous is not None)
    body.extend(legend)
    return svg_document(
        width=RADAR_WIDTH,
        height=height,
        id_prefix=id_prefix,
        title=_("Radar des 4 fondamentaux"),
        desc=_radar_description(current, previous),
        body=body,
        css_class="chart-radar",
        align="xMidYMin",
    )
