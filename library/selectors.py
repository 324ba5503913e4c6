"""Reading the library: what the public sees, the ranked search with its facets and highlighted excerpts,
the resources related to one another."""

import re
from dataclasses import dataclass

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db.models import Case, Count, F, IntegerField, Q, TextField, Value, When
from django.db.models.functions import Concat
from django.utils.html import escape, strip_tags
from django.utils.safestring import SafeString, mark_safe

from core.models import Theme

from .models import SEARCH_CONFIG, Resource, ResourceKind, ResourceStatus

# PostgreSQL marks the matched words with these two control characters; `mark_excerpt` escapes the text and
# only then turns them into <mark> elements, so nothing of the resource's text can become markup.
START, STOP = "\x02", "\x03"
TERRITORY_FACET_SIZE = 12
RELATED_COUNT = 4


def published_resources():
    """The resources anyone may read: published and not reserved to members, newest first. Used by the
    public pages, exports and the Atom feed."""
    return Resource.objects.filter(status=ResourceStatus.PUBLISHED, members_only=False).order_by(
        "-published_at", "-pk"
    )


def search_query(text: str) -> SearchQuery | None:
    """What people type, read like a web search engine does ("quoted phrase", -excluded, or); accents and
    word endings do not matter."""
    text = " ".join(text.replace(START, " ").replace(STOP, " ").split())[:200]
    if not text:
        return None
    return SearchQuery(text, config=SEARCH_CONFIG, search_type="websearch")


@dataclass(frozen=True)
class Filters:
    query: SearchQuery | None = None
    kind: str = ""
    theme: Theme | None = None
    territory_id: int | None = None


def _apply(resources, filters: Filters, *, skip: str = ""):
    if filters.query is not None:
        resources = resources.filter(search_vector=filters.query)
    if filters.kind and skip != "kind":
        resources = resources.filter(kind=filters.kind)
    if filters.theme is not None and skip != "theme":
        resources = resources.filter(themes=filters.theme)
    if filters.territory_id is not None and skip != "territory":
        resources = resources.filter(territories=filters.territory_id)
    return resources


def search(visible, filters: Filters):
    """The matching resources among `visible`: by relevance when there is a query (a word of the title
    weighs more than one of the summary, which weighs more than one of the text), else newest first."""
    resources = _apply(visible, filters)
    if filters.query is None:
        return resources.order_by("-published_at", "-pk")
    # Normalisation 1: the rank is divided by 1 + the log of the length, so long texts do not win by size.
    rank = SearchRank(F("search_vector"), filters.query, normalization=Value(1))
    return resources.annotate(rank=rank).order_by("-rank", "-published_at", "-pk")


def facets(visible, filters: Filters, *, territories) -> dict:
    """For each facet, the number of matching resources per value, counted with the other facets' filters
    (so that the other values of a chosen facet stay in view). Only `territories`, those the viewer may see,
    are offered: a published resource may name a territory whose profile is not public."""
    by_kind = dict(
        _apply(visible, filters, skip="kind").order_by().values_list("kind").annotate(n=Count("pk"))
    )
    # Counted on the link tables, from the ids of the matching resources.
    by_theme = dict(
        Resource.themes.through.objects.filter(
            resource__in=_apply(visible, filters, skip="theme").values("pk")
        )
        .order_by()
        .values_list("theme_id")
        .annotate(n=Count("resource_id"))
    )
    territories = (
        Resource.territories.through.objects.filter(
            resource__in=_apply(visible, filters, skip="territory").values("pk"),
            territory__in=territories.values("pk"),
        )
        .values_list("territory_id", "territory__name")
        .annotate(n=Count("resource_id"))
        .order_by("-n", "territory__name")[:TERRITORY_FACET_SIZE]
    )
    return {
        "kinds": [
            (value, label, by_kind[value]) for value, label in ResourceKind.choices if value in by_kind
        ],
        "themes": [(theme, by_theme[theme.pk]) for theme in Theme.objects.all() if theme.pk in by_theme],
        "territories": list(territories),
    }


def mark_excerpt(headline: str) -> SafeString:
    """Escape the excerpt, then mark the words PostgreSQL found (any stray marker is dropped)."""
    text = escape(strip_tags(headline))
    text = re.sub(f"{START}([^{START}{STOP}]*){STOP}", r"<mark>\1</mark>", text)
    return mark_safe(text.replace(START, "").replace(STOP, ""))  # noqa: S308 - escaped just above


def excerpts(resources: list, query: SearchQuery) -> None:
    """Set `excerpt` on each resource of the page: its summary and text around the words found. One query
    for the page's rows only: ts_headline reads the whole text, too costly for every match."""
    if not resources:
        return
    headline = SearchHeadline(
        Concat("summary", Value(" "), "body", output_field=TextField()),
        query,
        config=SEARCH_CONFIG,
        start_sel=START,
        stop_sel=STOP,
        max_words=40,
        min_words=20,
        max_fragments=2,
        fragment_delimiter=" … ",
    )
    found = dict(
        Resource.objects.filter(pk__in=[r.pk for r in resources])
        .annotate(headline=headline)
        .values_list("pk", "headline")
    )
    for resource in resources:
        headline = found.get(resource.pk, "")
        resource.excerpt = mark_excerpt(_with_ellipses(headline, f"{resource.summary} {resource.body}"))


def _with_ellipses(headline: str, text: str) -> str:
    """ "…" where the excerpt starts after the beginning of the text or stops before its end."""
    plain = " ".join(strip_tags(headline.replace(START, "").replace(STOP, "")).split())
    full = " ".join(strip_tags(text).split())
    if not plain:
        return headline
    if not full.startswith(plain[:30]):
        headline = f"… {headline}"
    if not full.endswith(plain[-30:]):
        headline = f"{headline} …"
    return headline


def related_resources(resource: Resource, visible, *, themes, territories, count: int = RELATED_COUNT):
    """Resources that share themes or territories with this one (two points each), and its kind (one).
    `themes` and `territories` are the resource's own, which the caller has already read."""
    theme_ids = [theme.pk for theme in themes]
    territory_ids = [territory.pk for territory in territories]
    if not theme_ids and not territory_ids:
        return Resource.objects.none()
    return (
        visible.exclude(pk=resource.pk)
        .filter(Q(themes__in=theme_ids) | Q(territories__in=territory_ids))
        .annotate(
            shared_themes=Count("themes", filter=Q(themes__in=theme_ids), distinct=True),
            shared_territories=Count("territories", filter=Q(territories__in=territory_ids), distinct=True),
            same_kind=Case(When(kind=resource.kind, then=1), default=0, output_field=IntegerField()),
        )
        .annotate(score=2 * F("shared_themes") + 2 * F("shared_territories") + F("same_kind"))
        .order_by("-score", "-published_at", "-pk")[:count]
    )
