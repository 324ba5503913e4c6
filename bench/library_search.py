"""Benchmark of the library's search over 20,000 generated resources, beside a plain `icontains` query.

    python -m fabrique.devdb -- python bench/library_search.py [--resources 20000] [--requests 40]

Builds a throwaway database (Django's test database machinery, under its own name so that it never meets
the test suite's), generates French resources (titles, summaries and texts of 30 to 300 words: the words of
the demo data with a Zipf-like frequency, plus a long tail of made-up words; 1 to 3 themes, a territory for
one in three; 9 in 10 published, 1 in 10 of those reserved to members), writes them with bulk_create and
their search vectors with one `resource_reindex` UPDATE, then times, for each query and over the same rows:

- the full-text search of the library as the search page runs it: websearch_to_tsquery on the
  french_unaccent configuration through the GIN index (`selectors.through_the_index`), one narrow query for
  the count and the ids of the best matches ranked by ts_rank (`selectors.rank`, at most `RANK_CAP`), then the
  first page's 20 rows with their highlighted excerpts (`selectors.page_rows`);
- a plain `icontains` on title, summary and text (each word ANDed, newest first): the count and the first
  page of 20;
- the whole search page through the test client (middleware, facets, highlighted excerpts, template).

Median and 95th percentile in ms, and how many resources each finds. The database is dropped at the end.
Not part of the test suite.
"""

import argparse
import random
import re
import statistics
import sys
import time

from common import print_measurements, setup_django, throwaway_database, web_settings

setup_django()

from django.contrib.auth.models import AnonymousUser  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Q  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

QUERIES = [
    "coopération",  # one of the most frequent words
    "cooperation",  # the same, typed without accents
    "transition territoire",
    "groupes de pairs",
    "schéma actantiel",
    "subventiono-dépendante",
    "photovoltaïque",  # in no resource
]
PAGE = 20
# A quarter of the words of the generated texts come from a long tail of made-up words, so that the texts are
# not all made of the same 545 words of the demo data.
LONG_TAIL, LONG_TAIL_SHARE = 20_000, 0.25
SYLLABLES = ["ba", "ce", "di", "fo", "gu", "la", "me", "ni", "po", "ru", "sa", "te", "vi", "zo", "ran", "lon"]


def vocabulary() -> list[str]:
    """The words of the demo resources, most frequent first."""
    from library.demo import RESOURCES

    counts: dict[str, int] = {}
    for row in RESOURCES:
        for text in (row[2], row[7], row[8]):
            for word in re.findall(r"[\wÀ-ÿ'-]+", text.lower()):
                counts[word] = counts.get(word, 0) + 1
    return sorted(counts, key=lambda w: (-counts[w], w))


def long_tail(rng) -> list[str]:
    return ["".join(rng.choices(SYLLABLES, k=rng.randint(2, 4))) for _ in range(LONG_TAIL)]


def sentence(rng, words, weights, low, high) -> str:
    count = rng.randint(low, high)
    rare = sum(rng.random() < LONG_TAIL_SHARE for _ in range(count))
    chosen = rng.choices(words[0], weights, k=count - rare) + rng.choices(words[1], k=rare)
    rng.shuffle(chosen)
    return " ".join(chosen)


def generate(total: int) -> dict:
    from core.models import Theme
    from library.models import Resource, ResourceKind, ResourceStatus
    from library.services import resource_reindex
    from territories.models import Territory, TerritoryKind

    rng = random.Random(2026)  # noqa: S311 - reproducible data, not a secret
    common_words = vocabulary()
    weights = [1 / (rank + 1) for rank in range(len(common_words))]
    words = (common_words, long_tail(rng))
    themes = list(Theme.objects.all())
    territories = [
        Territory.objects.create(kind=TerritoryKind.GROUPING, name=f"Territoire n°{n}", is_published=True)
        for n in range(40)
    ]
    kinds = ResourceKind.values
    now = timezone.now()
    start = time.perf_counter()
    resources = []
    for n in range(total):
        published = n % 10 != 0
        resources.append(
            Resource(
                title=sentence(rng, words, weights, 3, 9).capitalize()[:200],
                kind=kinds[n % len(kinds)],
                summary=sentence(rng, words, weights, 15, 40).capitalize(),
                body="\n\n".join(sentence(rng, words, weights, 30, 100) for _ in range(rng.randint(1, 3))),
                url="https://exemple.fr/video" if kinds[n % len(kinds)] == ResourceKind.MEDIA else "",
                starts_on=now.date() if kinds[n % len(kinds)] == ResourceKind.EVENT else None,
                status=ResourceStatus.PUBLISHED if published else ResourceStatus.DRAFT,
                published_at=now - timezone.timedelta(minutes=n) if published else None,
                members_only=published and n % 10 == 1,
            )
        )
    created = Resource.objects.bulk_create(resources, batch_size=2000)
    theme_links = Resource.themes.through
    territory_links = Resource.territories.through
    theme_links.objects.bulk_create(
        (
            theme_links(resource_id=r.pk, theme_id=theme.pk)
            for r in created
            for theme in rng.sample(themes, rng.randint(1, 3))
        ),
        batch_size=5000,
    )
    territory_links.objects.bulk_create(
        (
            territory_links(resource_id=r.pk, territory_id=rng.choice(territories).pk)
            for r in created
            if r.pk % 3 == 0
        ),
        batch_size=5000,
    )
    inserted = time.perf_counter() - start
    start = time.perf_counter()
    resource_reindex(Resource.objects.all())
    reindexed = time.perf_counter() - start
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {"inserted": inserted, "reindexed": reindexed}


def timed(function, repeat: int) -> tuple[float, float, object]:
    result = function()  # warm-up
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings), statistics.quantiles(timings, n=20)[-1], result


def full_text(text):
    from library import selectors
    from library.access import resources_visible_to

    visible = resources_visible_to(AnonymousUser())
    filters = selectors.Filters(query=selectors.search_query(text))

    def run():
        with selectors.through_the_index():
            ranking = selectors.rank(visible, filters)
        return ranking.total, selectors.page_rows(visible, ranking.ids[:PAGE], filters.query)

    return run


def icontains(text):
    from library.access import resources_visible_to

    condition = Q()
    for word in text.split():
        condition &= Q(title__icontains=word) | Q(summary__icontains=word) | Q(body__icontains=word)
    results = resources_visible_to(AnonymousUser()).filter(condition).order_by("-published_at", "-pk")

    def run():
        return results.count(), list(results[:PAGE])

    return run


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--resources", type=int, default=20_000)
    parser.add_argument("--requests", type=int, default=40)
    args = parser.parse_args()

    from library.models import Resource

    with web_settings(), throwaway_database():
        figures = generate(args.resources)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_size_pretty(pg_relation_size('resource_search_gin')), version()")
            index_size, version = cursor.fetchone()
        print(
            f"{Resource.objects.count()} ressources générées en {figures['inserted']:.1f} s (bulk_create), "
            f"vecteurs de recherche écrits en {figures['reindexed']:.1f} s (un UPDATE) ; index GIN "
            f"{index_size} ; {args.requests} mesures par ligne.\n{version.split(',')[0]}\n"
        )
        header = (
            f"{'requête':<26} {'plein texte p50':>15} {'p95':>9} {'trouvées':>9}   "
            f"{'icontains p50':>13} {'p95':>9} {'trouvées':>9}"
        )
        print(header)
        print("-" * len(header))
        for text in QUERIES:
            fts_p50, fts_p95, (fts_count, _rows) = timed(full_text(text), args.requests)
            like_p50, like_p95, (like_count, _rows) = timed(icontains(text), args.requests)
            print(
                f"{text:<26} {fts_p50:>12.1f} ms {fts_p95:>6.1f} ms {fts_count:>9}   "
                f"{like_p50:>10.1f} ms {like_p95:>6.1f} ms {like_count:>9}",
                flush=True,
            )
        print("\nLa page de recherche entière (client de test, anonyme : facettes, extraits, gabarit)\n")
        client = Client()
        listing = reverse("library:list")
        pages = [(f"« {text} »", client, listing, {"q": text}) for text in QUERIES[:5]]
        pages += [
            ("sans requête", client, listing, {}),
            ("« coopération » + thème", client, listing, {"q": "coopération", "theme": "gouvernance"}),
        ]
        print_measurements(pages, args.requests, width=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
