"""What the platform's SVG drawings share (territories' trajectory and radar, projects' steps, the method's
radars, actor map and actantial diagram): the accessible `<svg>` root, numbers written with one decimal, the
width of a text, its lines and its element, labels shortened to fit, and the geometry of a radar."""

import math

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

FONT_FAMILY = "system-ui, sans-serif"


def coord(value: float) -> str:
    """A coordinate with one decimal: enough for a drawing, short in the file."""
    return f"{value:.1f}"


def shorten(text: str, max_chars: int) -> str:
    """The text on one line, cut with « … » beyond `max_chars`."""
    text = " ".join(text.split())
    return text if len(text) <= max_chars else text[: max_chars - 1].rstrip() + "…"


def svg_document(
    *,
    width,
    height,
    id_prefix: str,
    title: str,
    desc: str,
    body,
    css_class: str | None,
    align: str = "xMinYMin",
    font_family: str = FONT_FAMILY,
) -> SafeString:
    """The `<svg>` root: an image named by its title and described by its desc (RGAA 1.1), scaled to the
    width of its box. `width` and `height` are written as given; `body` is markup whose texts went through
    escape() already. Without `css_class`, the drawing takes none of the charts' styles."""
    prefix = escape(id_prefix)
    css = f'class="chart {css_class}" ' if css_class else ""
    return mark_safe(  # noqa: S308 - the title, the desc and the prefix go through escape(), the body did
        f'<svg xmlns="http://www.w3.org/2000/svg" {css}role="img" '
        f'viewBox="0 0 {width} {height}" width="100%" preserveAspectRatio="{align} meet" '
        f'aria-labelledby="{prefix}-title {prefix}-desc" font-family="{font_family}">'
        f'<title id="{prefix}-title">{escape(title)}</title>'
        f'<desc id="{prefix}-desc">{escape(desc)}</desc>'
        f"{''.join(body)}</svg>"
    )


# --- Text: its width, lines and one element -------------------------------------------------------------

# Advance widths of a sans-serif face in em, rounded up: the drawings are fonted by the reader's system (and
# by WeasyPrint in the PDF), so a label measured by these never runs out of the room made for it.
_NARROW = frozenset("iljtfrI.,;:'’!|()[]{} ")
_WIDE = frozenset("mwMW@%")


def text_width(text: str, size: float) -> float:
    """The width of `text` at font size `size`, estimated generously."""
    width = 0.0
    for char in text:
        if char in _NARROW:
            width += 0.34
        elif char in _WIDE:
            width += 0.92
        elif char.isupper() or char.isdigit():
            width += 0.7
        else:
            width += 0.6
    return width * size


def _cut(word: str, width: float, size: float) -> int:
    """How many first characters of `word` fit in `width` (at least one, so that wrapping moves on)."""
    cut = len(word)
    while cut > 1 and text_width(word[:cut], size) > width:
        cut -= 1
    return cut


def _ellipsis(line: str, width: float, size: float) -> str:
    """`line` cut so that it fits in `width` with « … » after it."""
    cut = len(line)
    while cut > 1 and text_width(line[:cut].rstrip() + "…", size) > width:
        cut -= 1
    return line[:cut].rstrip() + "…"


def wrap(text: str, width: float, size: float, *, max_lines: int | None = None) -> list[str]:
    """`text` on lines no wider than `width` at `size`: greedy on spaces, a word wider than a line cut.
    With `max_lines`, what does not fit ends the last line with « … ». Never empty: [""] for no text."""
    lines, current = [], ""
    for word in text.split():
        while text_width(word, size) > width:
            if current:
                lines.append(current)
                current = ""
            cut = _cut(word, width, size)
            lines.append(word[:cut])
            word = word[cut:]
        candidate = f"{current} {word}" if current else word
        if current and text_width(candidate, size) > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    if current:
        lines.append(current)
    if max_lines is not None and len(lines) > max_lines:
        lines = lines[: max_lines - 1] + [_ellipsis(" ".join(lines[max_lines - 1 :]), width, size)]
    return lines or [""]


def svg_text(x, y, content: str, *, size: float, fill: str, anchor=None, weight=None, style=None) -> str:
    """One `<text>` element, its content escaped; only the attributes given are written."""
    extra = ""
    if anchor:
        extra += f' text-anchor="{anchor}"'
    if weight:
        extra += f' font-weight="{weight}"'
    if style:
        extra += f' font-style="{style}"'
    return (
        f'<text x="{coord(x)}" y="{coord(y)}" font-size="{size}" fill="{fill}"{extra}>'
        f"{escape(content)}</text>"
    )


# --- The radar: axes around a centre, values from the centre out ---------------------------------------


class Radar:
    """The geometry of a radar of `count` axes, the first at `start_degrees` (0 is to the right, -90 up), the
    others clockwise. A value from `low` to `high` lies from `inner` to `outer` from the centre; a value
    outside the scale (a stored one no form would take) is drawn at its end, never off the drawing."""

    def __init__(self, *, count, cx, cy, outer, low, high, inner=0.0, start_degrees=-90.0):
        self.count, self.cx, self.cy = max(count, 1), cx, cy
        self.outer, self.inner, self.low, self.high = outer, inner, low, high
        self.start = start_degrees

    def angle(self, index: int) -> float:
        return math.radians(self.start + 360 * index / self.count)

    def radius(self, value: float) -> float:
        value = max(self.low, min(self.high, value))
        return self.inner + (value - self.low) * (self.outer - self.inner) / (self.high - self.low)

    def point(self, index: int, radius: float, shift: float = 0.0) -> tuple[float, float]:
        """The point at `radius` on the axis, moved by `shift` across it (equal values side by side)."""
        angle = self.angle(index)
        return (
            self.cx + radius * math.cos(angle) - shift * math.sin(angle),
            self.cy + radius * math.sin(angle) + shift * math.cos(angle),
        )

    def at(self, index: int, value: float) -> tuple[float, float]:
        return self.point(index, self.radius(value))

    def points(self, values) -> str:
        """The `points` of the polygon through one value per axis, in the order of the axes."""
        return " ".join(f"{coord(x)},{coord(y)}" for x, y in (self.at(i, v) for i, v in enumerate(values)))

    def ring(self, radius: float, attributes: str) -> str:
        """The ring at `radius`: a polygon through the axes, a circle under three axes."""
        if self.count < 3:
            return f'<circle cx="{coord(self.cx)}" cy="{coord(self.cy)}" r="{coord(radius)}" {attributes}/>'
        corners = (self.point(index, radius) for index in range(self.count))
        points = " ".join(f"{coord(x)},{coord(y)}" for x, y in corners)
        return f'<polygon points="{points}" {attributes}/>'

    def axis(self, index: int, start: float, end: float, attributes: str) -> str:
        """The axis `index` from radius `start` to radius `end`."""
        (x1, y1), (x2, y2) = self.point(index, start), self.point(index, end)
        return f'<line x1="{coord(x1)}" y1="{coord(y1)}" x2="{coord(x2)}" y2="{coord(y2)}" {attributes}/>'
