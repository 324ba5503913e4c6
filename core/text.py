"""Rendering of user-supplied text: whatever a user typed is sanitized with nh3 before it is shown."""

import functools

import nh3
from django.utils.html import linebreaks
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

ALLOWED_TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "a", "blockquote"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}


def sanitize(html: str) -> SafeString:
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(cleaned)  # noqa: S308 - nh3 has just removed anything unsafe


# Short texts (comments, notes) are rendered once per process and text: a page of hundreds of comments does
# not sanitize each again on every view. The result depends on the text alone.
_CACHED_LENGTH = 2000


def render_user_text(text: str) -> SafeString:
    """Plain text with paragraphs and line breaks, and the few tags of ALLOWED_TAGS."""
    text = text or ""
    if len(text) <= _CACHED_LENGTH:
        return _render_user_text_cached(text)
    return _render_user_text(text)


def _render_user_text(text: str) -> SafeString:
    return sanitize(linebreaks(text, autoescape=False))


_render_user_text_cached = functools.lru_cache(maxsize=4096)(_render_user_text)


# The "zero" preset parses nothing; only the subset editors are told about is switched on. Raw HTML and bare
# URLs stay literal text, and single line breaks are kept as the editors typed them.
_MARKDOWN = MarkdownIt("zero", {"html": False, "linkify": False, "breaks": True}).enable(
    ["paragraph", "list", "emphasis", "link", "newline"]
)


def render_markdown(text: str) -> SafeString:
    """The Markdown subset editors write: paragraphs, `-` and `1.` lists, **bold**, *italics*, [links](url).

    Everything else stays literal text; the result goes through the same sanitizer as any user text."""
    return sanitize(_MARKDOWN.render((text or "").replace("\r\n", "\n")))
