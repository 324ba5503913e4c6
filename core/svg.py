"""What the platform's SVG drawings share: the accessible `<svg>` root, numbers written with one decimal and
labels shortened to fit (territories' trajectory and radar, projects' steps, the method's radars, actor map
and actantial diagram)."""

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
