"""Reading the library: what the public sees, the ranked search with its facets and highlighted excerpts,
the resources related to one another."""

import hashlib
import re
import time
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    TextField,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, Concat, NullIf
from django.utils.html import escape, strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from core.models import Theme
from territories.access import territories_visible_to

from .models import SEARCH_CONFIG, Attachment, Bookmark, Resource, ResourceKind, ResourceStatus

# PostgreSQL marks the matched words with these two control characters; `mark_excerpt` escapes the text and
# only then turns them into <mark> elements, so nothing of the resource's text can become markup.
START, STOP = "\x02", "\x03"
TERRITORY_FACET_SIZE = 12
RELATED_COUNT = 4
# A search ranks all its matches but keeps only the ids of the best ones: the pages shown are cut from them.
RANK_CAP = 500


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
    text: str = ""  # the words the query was made of
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


@dataclass(frozen=True)
class Ranking:
    ids: list[int]  # the best matches, best first, at most RANK_CAP of them
    total: int  # how many resources match

    @property
    def capped(self) -> bool:
        return self.total > len(self.ids)


def rank(visible, filters: Filters, *, cap: int | None = None) -> Ranking:
    """The ids of the best matches of a query, in the order of `search`, and how many match: one narrow
    query (ids, rank and a window count), so that the matches' rows are never sorted nor sent whole."""
    rows = list(
        search(visible, filters)
        .annotate(total=Window(Count("pk")))
        .values_list("pk", "total")[: RANK_CAP if cap is None else cap]
    )
    return Ranking(ids=[pk for pk, _total in rows], total=rows[0][1] if rows else 0)


@contextmanager
def through_the_index():
    """Run a search's queries with the GIN index. On a common word the planner prefers reading the table
    whole, as it does not count that `@@` then reads (detoasts) every search vector; through the index, a
    count or a facet reads no vector at all and the ranking reads each matching one once. On 20,000
    resources, 11,724 matching: the count takes 11 ms instead of 97, the ranking 39 instead of 128, the
    facets 62 instead of 143. The setting is put back on leaving the block, even inside a transaction."""
    # No savepoint: these queries only read, and on an error the transaction's rollback puts it back.
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        yield
        cursor.execute("RESET enable_seqscan")


def facets(visible, filters: Filters, *, territories) -> dict:
    """For each facet, the number of matching resources per value, counted with the other facets' filters
    (so that the other values of a chosen facet stay in view). Only `territories`, those the viewer may see,
    are offered: a published resource may name a territory whose profile is not public."""
    return visible_facets(facet_counts(visible, filters), territories)


def facet_counts(visible, filters: Filters) -> dict:
    """The facets' counts, whoever looks: the territories' facet holds every territory named by a match,
    with whether its profile is public, for `visible_facets` to keep those the viewer may see."""
    by_kind = dict(
        _apply(visible, filters, skip="kind").order_by().values_list("kind").annotate(n=Count("pk"))
    )
    # Counted on the link tables, from the ids of the matching resources; the themes come with their counts.
    themes = (
        Theme.objects.filter(resources__in=_apply(visible, filters, skip="theme").values("pk"))
        .annotate(n=Count("resources"))
        .order_by("position", "name")
    )
    territories = (
        Resource.territories.through.objects.filter(
            resource__in=_apply(visible, filters, skip="territory").values("pk")
        )
        .values_list("territory_id", "territory__name", "territory__is_published")
        .annotate(n=Count("resource_id"))
        .order_by("-n", "territory__name")
    )
    return {
        "kinds": [
            (value, label, by_kind[value]) for value, label in ResourceKind.choices if value in by_kind
        ],
        "themes": [(theme, theme.n) for theme in themes],
        "territories": list(territories),
    }


def visible_facets(counts: dict, territories) -> dict:
    """The facets of `facet_counts` as the viewer sees them: the first TERRITORY_FACET_SIZE territories
    among `territories`, the ones they may see (a query only when a match names an unpublished one)."""
    rows = counts["territories"]
    unpublished = [pk for pk, _name, is_published, _n in rows if not is_published]
    seen = set(territories.filter(pk__in=unpublished).values_list("pk", flat=True)) if unpublished else set()
    shown = [(pk, name, n) for pk, name, is_published, n in rows if is_published or pk in seen]
    return {**counts, "territories": shown[:TERRITORY_FACET_SIZE]}


# A search's ranking and facets' counts are kept this long, or until a resource is written, published or
# sent back (`forget_searches`): the same words and filters are then answered without counting again.
SEARCH_CACHE_SECONDS = 600


def _generation_key() -> str:
    # Per database: platforms (or test processes) sharing one Redis keep their searches apart.
    return f"library:search:{connection.settings_dict['NAME']}:generation"


def _search_key(filters: Filters, *, member: bool) -> str:
    generation = cache.get(_generation_key())
    if generation is None:
        generation = time.time_ns()
        cache.set(_generation_key(), generation, None)
    words = " ".join(filters.text.split()).lower()
    theme = filters.theme.pk if filters.theme is not None else ""
    parts = f"{words}\x00{filters.kind}\x00{theme}\x00{filters.territory_id or ''}"
    digest = hashlib.sha256(parts.encode()).hexdigest()
    database = connection.settings_dict["NAME"]
    return f"library:search:{database}:{generation}:{'members' if member else 'public'}:{digest}"


def _new_generation() -> None:
    cache.set(_generation_key(), time.time_ns(), None)


def forget_searches(*, again_on_commit: bool = True) -> None:
    """Every search kept is computed again: what a search shows changed (a resource, its themes or
    territories, a theme's or a territory's name). Now, and again once the change is committed, in case a
    search ran in between on what was there before."""
    _new_generation()
    if again_on_commit:
        transaction.on_commit(_new_generation)


def ranked_search(visible, filters: Filters, *, member: bool) -> tuple[Ranking | None, dict]:
    """The ranking of a search (None without words) and its facets' counts, kept per words, filters and
    reader (member or not: `visible` is what they read) for SEARCH_CACHE_SECONDS."""
    key = _search_key(filters, member=member)
    kept = cache.get(key)
    if kept is not None:
        return kept
    if filters.query is None:
        kept = (None, facet_counts(visible, filters))
    else:
        with through_the_index():
            kept = (rank(visible, filters), facet_counts(visible, filters))
    cache.set(key, kept, SEARCH_CACHE_SECONDS)
    return kept


def mark_excerpt(headline: str) -> SafeString:
    """Escape the excerpt, then mark the words PostgreSQL found (any stray marker is dropped)."""
    text = escape(strip_tags(headline))
    text = re.sub(f"{START}([^{START}{STOP}]*){STOP}", r"<mark>\1</mark>", text)
    return mark_safe(text.replace(START, "").replace(STOP, ""))  # noqa: S308 - escaped just above


def with_tag_names(resources, territories):
    """Each resource with the names of its themes in the reader's language (`theme_names`, in the themes'
    order) and of its territories among `territories`, those the reader may see (`territory_names`), as
    array columns of its own statement: a list page then reads no theme or territory rows of its own."""
    name = F("theme__name")
    if (get_language() or settings.LANGUAGE_CODE)[:2] == "en":
        name = Coalesce(NullIf(F("theme__name_en"), Value("")), F("theme__name"))
    return resources.annotate(
        theme_names=ArraySubquery(
            Resource.themes.through.objects.filter(resource=OuterRef("pk"))
            .order_by("theme__position", "theme__name")
            .values(shown=name)
        ),
        territory_names=ArraySubquery(
            territories.filter(resources=OuterRef("pk")).order_by("name").values("name")
        ),
    )


def page_rows(resources, ids: list[int], query: SearchQuery) -> list:
    """The resources of one page of ranked `ids`, in that order, each with its `excerpt`: its summary and
    text around the words found. ts_headline reads the whole text: it runs on the page's rows only, in the
    query that reads them."""
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
    found = {row.pk: row for row in resources.filter(pk__in=ids).annotate(headline=headline).order_by()}
    rows = [found[pk] for pk in ids if pk in found]
    for row in rows:
        row.excerpt = mark_excerpt(_with_ellipses(row.headline, f"{row.summary} {row.body}"))
    return rows


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


# --- The pages of one person and of one resource ------------------------------------------------------


def with_labels(resources, user):
    """The resources with their themes and territories for their cards. A resource may name a territory
    whose profile is not public: only those the viewer may see are read."""
    return resources.prefetch_related(
        Prefetch("themes", queryset=Theme.objects.order_by("position", "name")),
        Prefetch("territories", queryset=territories_visible_to(user).order_by("name")),
    )


def theme_by_slug(slug: str) -> Theme | None:
    return Theme.objects.filter(slug=slug).first()


def is_bookmarked(user, resource) -> bool:
    return Bookmark.objects.filter(user=user, resource=resource).exists()


def resources_by(user) -> list[Resource]:
    """The resources the person wrote or co-wrote, whatever their state, the last changed first."""
    return list(Resource.objects.filter(authors=user).order_by("-updated_at", "-pk"))


def resources_to_review() -> list[Resource]:
    """The resources awaiting their review, the longest waiting first, with their authors."""
    return list(
        Resource.objects.filter(status=ResourceStatus.REVIEW)
        .order_by("updated_at", "pk")
        .prefetch_related("authors")
    )


def resource_as_stored(resource) -> Resource:
    """A fresh copy of the resource, for a form to write into while the page keeps the saved one."""
    return Resource.objects.get(pk=resource.pk)


def attachment_of(resource, attachment_pk) -> Attachment | None:
    return Attachment.objects.filter(resource=resource, pk=attachment_pk).first()
