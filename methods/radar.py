"""The value created, drawn: a session's radar (one axis per dimension, each person's rating as a dot, their
spread as a band, the group's agreed rating as a bold polygon) and the comparison of sessions over time (one
small chart per dimension). Server-rendered SVG with inline presentation attributes only, so that WeasyPrint
draws it in the PDF dossier as the browser does on screen; every text escaped; a <title> and a <desc> whose
ids start with `id_prefix`, as several charts may share a page."""

import math
from collections import defaultdict

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core import dates
from core.i18n import labelled, semicolon
from core.svg import Radar, svg_document, svg_text, wrap
from core.svg import coord as _f

from .models import SCORE_MAX, SCORE_MIN

INK, MUTED, GRID, GRID_STRONG = "#1d2a24", "#4d5b54", "#c9cfc8", "#6f7c74"
NEGATIVE_ZONE, POSITIVE_ZONE = "#fbeee8", "#eaf4ee"
AGREED, INDIVIDUAL, SPREAD = "#1f6b4a", "#2f4a7a", "#8ea3cc"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"

SCORES = range(SCORE_MIN, SCORE_MAX + 1)


def score_text(score: int) -> str:
    """−2, −1, 0, +1, +2: with a true minus sign and an explicit plus."""
    if score > 0:
        return f"+{score}"
    if score < 0:
        return f"\u2212{-score}"
    return "0"


# --- A session's radar -------------------------------------------------------------------------------------

RADAR_WIDTH = 660
RADIUS = 170
INNER = 30  # −2 sits on a small ring rather than the centre, so that low ratings stay apart
LABEL_GAP = 16
LABEL_FONT = 13.5
LABEL_WIDTH = 138  # about 17 characters
LINE = 16
DOT = 4.5


def _between_last_and_first(radar: Radar, radius: float) -> tuple[float, float]:
    """Where the ring of `radius` crosses the bisector of the last and the first axes."""
    half = math.pi / radar.count
    if radar.count >= 3:
        radius *= math.cos(half)
    angle = radar.angle(0) - half
    return radar.cx + radius * math.cos(angle), radar.cy + radius * math.sin(angle)


def _radar_labels(radar: Radar, index: int, name: str, agreed: int | None) -> str:
    angle = radar.angle(index)
    cos, sin = math.cos(angle), math.sin(angle)
    x, y = radar.point(index, RADIUS + LABEL_GAP)
    anchor = "start" if cos > 0.3 else "end" if cos < -0.3 else "middle"
    lines = [(text, INK, "600") for text in wrap(name, LABEL_WIDTH, LABEL_FONT, max_lines=3)]
    if agreed is not None:
        lines.append((_("retenue : %(score)s") % {"score": score_text(agreed)}, AGREED, "700"))
    height = LINE * len(lines)
    if sin < -0.5:
        top = y - height + 4
    elif sin > 0.5:
        top = y + 8
    else:
        top = y - height / 2 + 10
    return "".join(
        svg_text(x, top + LINE * row, text, size=LABEL_FONT, fill=colour, anchor=anchor, weight=weight)
        for row, (text, colour, weight) in enumerate(lines)
    )


def _radar_description(dimensions, by_dimension, agreed) -> str:
    parts = [
        ngettext(
            "Radar de la valeur créée sur %(count)s dimension,",
            "Radar de la valeur créée sur %(count)s dimensions,",
            len(dimensions),
        )
        % {"count": len(dimensions)},
        _("de −2 (très négative, près du centre) à +2 (très positive, à l'extérieur)."),
    ]
    for dimension in dimensions:
        scores = sorted(by_dimension.get(dimension.pk, []))
        values = {"dimension": dimension.shown_name}
        if dimension.pk in agreed:
            values["agreed"] = score_text(agreed[dimension.pk])
            text = _("%(dimension)s : valeur retenue %(agreed)s") % values
        else:
            text = _("%(dimension)s : pas de valeur retenue") % values
        if scores:
            text += semicolon() + ngettext(
                "%(count)s évaluation individuelle, de %(low)s à %(high)s.",
                "%(count)s évaluations individuelles, de %(low)s à %(high)s.",
                len(scores),
            ) % {"count": len(scores), "low": score_text(scores[0]), "high": score_text(scores[-1])}
        else:
            text += semicolon() + _("aucune évaluation individuelle visible.")
        parts.append(text)
    return " ".join(parts)


def _legend_symbols(x: float, y: float) -> list[str]:
    return [
        f'<circle cx="{x + 14}" cy="{_f(y)}" r="{DOT}" fill="{INDIVIDUAL}" stroke="#fff" '
        f'stroke-width="1.5"/>',
        f'<line x1="{x}" y1="{_f(y)}" x2="{x + 28}" y2="{_f(y)}" stroke="{SPREAD}" stroke-width="12" '
        f'stroke-linecap="round" stroke-opacity="0.55"/>',
        f'<line x1="{x}" y1="{_f(y)}" x2="{x + 28}" y2="{_f(y)}" stroke="{AGREED}" stroke-width="3.5"/>'
        + _diamond(x + 14, y, 6),
    ]


def _legend(top: float) -> tuple[list[str], float]:
    x = 24
    labels = [
        _("Évaluation individuelle (un point par personne)"),
        _("Écart entre les évaluations individuelles"),
        _("Valeur retenue par le groupe"),
    ]
    body, y = [], top
    for index, label in enumerate(labels):
        body.append(_legend_symbols(x, y - 5)[index])
        body.append(f'<text x="{x + 40}" y="{_f(y)}" font-size="14" fill="{INK}">{escape(label)}</text>')
        y += 24
    scale = "  ·  ".join(f"{score_text(score)} {label}" for score, label in scale_labels().items())
    # Outside the f-string: makemessages does not read inside one.
    caption = _("Échelle : %(scale)s") % {"scale": scale}
    body.append(f'<text x="{x}" y="{_f(y + 2)}" font-size="13" fill="{MUTED}">{escape(caption)}</text>')
    return body, y + 14


def _diamond(x: float, y: float, size: float) -> str:
    return (
        f'<polygon points="{_f(x)},{_f(y - size)} {_f(x + size)},{_f(y)} {_f(x)},{_f(y + size)} '
        f'{_f(x - size)},{_f(y)}" fill="{AGREED}" stroke="#fff" stroke-width="1.5"/>'
    )


def scale_labels() -> dict[int, str]:
    return {
        -2: _("très négative"),
        -1: _("négative"),
        0: _("nulle"),
        1: _("positive"),
        2: _("très positive"),
    }


def _grid(radar: Radar, *, axes: int) -> list[str]:
    """The zones below and above "nulle", the rings from −2 to +2 ("nulle" stronger and dashed), the axes."""
    body = [
        radar.ring(radar.radius(SCORE_MAX), f'fill="{POSITIVE_ZONE}" stroke="none"'),
        radar.ring(radar.radius(0), f'fill="{NEGATIVE_ZONE}" stroke="none"'),
        radar.ring(radar.radius(SCORE_MIN), 'fill="#ffffff" stroke="none"'),
    ]
    for score in SCORES:
        style = (
            f'stroke="{GRID_STRONG}" stroke-width="1.5" stroke-dasharray="6 4"'
            if score == 0
            else f'stroke="{GRID}" stroke-width="1"'
        )
        body.append(radar.ring(radar.radius(score), f'fill="none" {style}'))
    axis = f'class="axis" stroke="{GRID_STRONG}" stroke-width="1"'
    body.extend(radar.axis(index, radar.radius(SCORE_MIN), RADIUS + 6, axis) for index in range(axes))
    return body


def _ratings(radar: Radar, index: int, dimension, scores) -> list[str]:
    """Each person's rating on one axis: the band from the lowest to the highest, then the dots, equal ones
    side by side."""
    body = [
        radar.axis(
            index,
            radar.radius(min(scores)),
            radar.radius(max(scores)),
            f'stroke="{SPREAD}" stroke-width="12" stroke-linecap="round" stroke-opacity="0.55"',
        )
    ]
    counts = defaultdict(int)
    for score in scores:
        counts[score] += 1
    for score, count in sorted(counts.items()):
        dot = DOT if count <= 6 else 3.5
        spacing = 2 * dot + 1.5
        label = ngettext(
            "%(dimension)s : %(score)s (%(count)s personne)",
            "%(dimension)s : %(score)s (%(count)s personnes)",
            count,
        ) % {"dimension": dimension.shown_name, "score": score_text(score), "count": count}
        dots = []
        for k in range(count):
            x, y = radar.point(index, radar.radius(score), (k - (count - 1) / 2) * spacing)
            dots.append(
                f'<circle cx="{_f(x)}" cy="{_f(y)}" r="{dot}" fill="{INDIVIDUAL}" stroke="#fff" '
                f'stroke-width="1.5"/>'
            )
        body.append(f'<g class="ratings"><title>{escape(label)}</title>{"".join(dots)}</g>')
    return body


def _agreed_shape(radar: Radar, dimensions, agreed) -> list[str]:
    """The group's agreed rating: a bold polygon once every dimension has one, else the agreed points joined
    where two neighbouring dimensions both have one."""
    points = {
        index: radar.at(index, agreed[dimension.pk])
        for index, dimension in enumerate(dimensions)
        if dimension.pk in agreed
    }
    body = []
    if dimensions and len(points) == len(dimensions) and len(dimensions) >= 3:
        coords = " ".join(f"{_f(x)},{_f(y)}" for x, y in points.values())
        body.append(
            f'<polygon class="agreed" points="{coords}" fill="{AGREED}" fill-opacity="0.1" '
            f'stroke="{AGREED}" stroke-width="3.5" stroke-linejoin="round"/>'
        )
    elif len(dimensions) >= 3:
        for index, (x1, y1) in points.items():
            following = (index + 1) % len(dimensions)
            if following in points:
                x2, y2 = points[following]
                body.append(
                    f'<line x1="{_f(x1)}" y1="{_f(y1)}" x2="{_f(x2)}" y2="{_f(y2)}" stroke="{AGREED}" '
                    f'stroke-width="3.5" stroke-linecap="round"/>'
                )
    body.extend(_diamond(x, y, 6.5) for x, y in points.values())
    return body


def radar_svg(session, *, id_prefix="radar", ratings=None, agreements=None) -> SafeString:
    """The session's radar. `ratings` and `agreements` default to all of the session's; a page passes the
    ratings its reader may see (none while the others are still rating on their own)."""
    dimensions = list(session.dimensions.all())
    ratings = list(session.ratings.all()) if ratings is None else list(ratings)
    agreements = list(session.agreements.all()) if agreements is None else list(agreements)
    by_dimension = defaultdict(list)
    for rating in ratings:
        by_dimension[rating.dimension_id].append(rating.score)
    agreed = {agreement.dimension_id: agreement.score for agreement in agreements}

    # −2 sits on a small ring rather than the centre, so that low ratings stay apart.
    radar = Radar(
        count=len(dimensions),
        cx=RADAR_WIDTH / 2,
        cy=RADIUS + LABEL_GAP + 4 * LINE + 8,
        outer=RADIUS,
        inner=INNER,
        low=SCORE_MIN,
        high=SCORE_MAX,
    )
    body = _grid(radar, axes=len(dimensions))
    for index, dimension in enumerate(dimensions):
        if by_dimension.get(dimension.pk):
            body.extend(_ratings(radar, index, dimension, by_dimension[dimension.pk]))
    body.extend(_agreed_shape(radar, dimensions, agreed))

    # The ring values, on a white patch halfway between the last axis and the first, where no rating lies.
    for score in SCORES:
        x, y = _between_last_and_first(radar, radar.radius(score))
        body.append(
            f'<rect x="{_f(x - 10)}" y="{_f(y - 8)}" width="20" height="15" rx="3" fill="#ffffff" '
            f'fill-opacity="0.9"/>'
            + svg_text(x, y + 4, score_text(score), size=11.5, fill=MUTED, anchor="middle")
        )
    for index, dimension in enumerate(dimensions):
        body.append(_radar_labels(radar, index, dimension.shown_name, agreed.get(dimension.pk)))

    legend, height = _legend(radar.cy + RADIUS + LABEL_GAP + 4 * LINE + 16)
    body.extend(legend)
    return svg_document(
        width=RADAR_WIDTH,
        height=_f(height),
        id_prefix=id_prefix,
        title=_("Valeur créée — %(title)s") % {"title": session.title},
        desc=_radar_description(dimensions, by_dimension, agreed),
        css_class="chart-value-radar",
        body=body,
        align="xMidYMin",
        font_family=FONT,
    )


# --- Sessions over time -----------------------------------------------------------------------------------

COMPARISON_WIDTH = 722
COLUMNS = 3
PANEL_GAP = 18
PANEL_WIDTH = (COMPARISON_WIDTH - 2 - (COLUMNS - 1) * PANEL_GAP) / COLUMNS
PANEL_TITLE = 40
PLOT_HEIGHT = 112
PLOT_LEFT = 28
PANEL_HEIGHT = PANEL_TITLE + PLOT_HEIGHT + 34


def _panel(left, top, dimension, series, count) -> list[str]:
    """One dimension: the agreed rating of each session, in the order of the sessions."""
    plot_left, plot_right = left + PLOT_LEFT, left + PANEL_WIDTH - 10
    plot_top = top + PANEL_TITLE + 6
    step = PLOT_HEIGHT / (SCORE_MAX - SCORE_MIN)

    def y_of(score):
        return plot_top + (SCORE_MAX - score) * step

    def x_of(index):
        if count == 1:
            return (plot_left + plot_right) / 2
        return plot_left + 12 + index * (plot_right - plot_left - 24) / (count - 1)

    body = [
        f'<rect class="panel" x="{_f(left)}" y="{_f(top)}" width="{_f(PANEL_WIDTH)}" '
        f'height="{PANEL_HEIGHT - 8}" rx="8" fill="#ffffff" stroke="{GRID}"/>',
        f'<rect x="{_f(plot_left)}" y="{_f(y_of(SCORE_MAX))}" width="{_f(plot_right - plot_left)}" '
        f'height="{_f(2 * step)}" fill="{POSITIVE_ZONE}"/>',
        f'<rect x="{_f(plot_left)}" y="{_f(y_of(0))}" width="{_f(plot_right - plot_left)}" '
        f'height="{_f(2 * step)}" fill="{NEGATIVE_ZONE}"/>',
    ]
    for row, line in enumerate(wrap(dimension.shown_name, PANEL_WIDTH - 20, 13, max_lines=2)):
        body.append(
            f'<text x="{_f(left + 10)}" y="{_f(top + 17 + row * 15)}" font-size="13" font-weight="700" '
            f'fill="{INK}">{escape(line)}</text>'
        )
    for score in SCORES:
        y = y_of(score)
        style = (
            f'stroke="{GRID_STRONG}" stroke-dasharray="5 3" stroke-width="1.2"'
            if score == 0
            else f'stroke="{GRID}" stroke-width="1"'
        )
        body.append(f'<line x1="{_f(plot_left)}" y1="{_f(y)}" x2="{_f(plot_right)}" y2="{_f(y)}" {style}/>')
        body.append(
            f'<text x="{_f(plot_left - 6)}" y="{_f(y + 4)}" text-anchor="end" font-size="11" '
            f'fill="{MUTED}">{escape(score_text(score))}</text>'
        )
    for index in range(count):
        body.append(
            f'<text x="{_f(x_of(index))}" y="{_f(y_of(SCORE_MIN) + 18)}" text-anchor="middle" '
            f'font-size="11.5" fill="{MUTED}">{index + 1}</text>'
        )
    points = [(x_of(index), y_of(score), score) for index, score in series]
    if len(points) > 1:
        coords = " ".join(f"{_f(x)},{_f(y)}" for x, y, _score in points)
        body.append(
            f'<polyline points="{coords}" fill="none" stroke="{AGREED}" stroke-width="2.5" '
            f'stroke-linejoin="round"/>'
        )
    for x, y, score in points:
        label_y = y - 9 if score < SCORE_MAX else y + 17
        body.append(_diamond(x, y, 5.5))
        body.append(
            f'<text x="{_f(x)}" y="{_f(label_y)}" text-anchor="middle" font-size="12" font-weight="700" '
            f'fill="{AGREED}">{escape(score_text(score))}</text>'
        )
    return body


def sessions_comparison_svg(sessions, *, id_prefix="comparison") -> SafeString:
    """The agreed ratings of the sessions, oldest first: a small chart per dimension, the sessions numbered
    along each and named in the key below. Sessions without any agreed rating are left out; empty when
    none has one. Reads `session.agreements.all()`: prefetch them with their dimension."""
    sessions = sorted((s for s in sessions if list(s.agreements.all())), key=lambda s: (s.held_on, s.pk))
    if not sessions:
        return mark_safe("")
    dimensions = {}
    for session in sessions:
        for agreement in session.agreements.all():
            dimensions.setdefault(agreement.dimension_id, agreement.dimension)
    dimensions = sorted(dimensions.values(), key=lambda d: (d.position, d.pk))
    scores = {
        (session_index, agreement.dimension_id): agreement.score
        for session_index, session in enumerate(sessions)
        for agreement in session.agreements.all()
    }

    body, descriptions = [], []
    for number, dimension in enumerate(dimensions):
        column, row = number % COLUMNS, number // COLUMNS
        series = [
            (index, scores[(index, dimension.pk)])
            for index in range(len(sessions))
            if (index, dimension.pk) in scores
        ]
        body.extend(
            _panel(
                1 + column * (PANEL_WIDTH + PANEL_GAP),
                row * PANEL_HEIGHT + 1,
                dimension,
                series,
                len(sessions),
            )
        )
        values = ", ".join(
            _("%(score)s (séance %(number)s)") % {"score": score_text(score), "number": index + 1}
            for index, score in series
        )
        descriptions.append(labelled(dimension.shown_name, values) + ".")

    top = math.ceil(len(dimensions) / COLUMNS) * PANEL_HEIGHT + 14
    sessions_title = _("Les séances")
    body.append(
        f'<text x="0" y="{_f(top)}" font-size="13.5" font-weight="700" fill="{INK}">'
        f"{escape(sessions_title)}</text>"
    )
    for index, session in enumerate(sessions):
        key = _("%(number)s — %(date)s : %(title)s") % {
            "number": index + 1,
            "date": dates.long_date(session.held_on),
            "title": session.title,
        }
        body.append(
            f'<text x="0" y="{_f(top + 20 * (index + 1))}" font-size="13" fill="{INK}">'
            f"{escape(wrap(key, COMPARISON_WIDTH, 13, max_lines=1)[0])}</text>"
        )
    height = top + 20 * len(sessions) + 10
    desc = " ".join(
        [
            ngettext(
                "Valeur retenue par le groupe sur %(count)s séance, de −2 (très négative) à +2 (très "
                "positive), une petite courbe par dimension.",
                "Valeur retenue par le groupe sur %(count)s séances, de −2 (très négative) à +2 (très "
                "positive), une petite courbe par dimension.",
                len(sessions),
            )
            % {"count": len(sessions)},
            *descriptions,
        ]
    )
    return svg_document(
        width=COMPARISON_WIDTH,
        height=_f(height),
        id_prefix=id_prefix,
        title=_("La valeur créée, séance après séance"),
        desc=desc,
        css_class="chart-value-comparison",
        body=body,
        align="xMidYMin",
        font_family=FONT,
    )
