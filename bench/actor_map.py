"""Benchmark of the actor map's SVG: layout by Graphviz and drawing, for 5, 40 and 100 actors with one and a
half influences per actor and a chain of actions, beside the peak memory of one drawing.

    python -m fabrique.devdb -- python bench/actor_map.py [--repeat 5]

A throwaway database (its own name) holds one project per size. Times are those of
`methods.actor_map.actor_map_svg` given the rows already read (as the map page does), so that only the layout
and the drawing are measured: "à froid" with an empty cache (Graphviz lays the map out), "en cache" when the
layout of the same rows is in the cache (every later view of an unchanged map). Peak memory is Python's
(tracemalloc) for one cold drawing. Not part of the test suite.
"""

import argparse
import random
import statistics
import time
import tracemalloc

from common import setup_django, throwaway_database

setup_django()

from django.core.cache import cache  # noqa: E402

from methods.actor_map import actor_map_svg  # noqa: E402
from methods.models import Action, Actor, Influence  # noqa: E402
from projects.models import Project  # noqa: E402
from tests.factories import TerritoryFactory, UserFactory  # noqa: E402

FAMILIES = ("elu", "agent", "etat", "socio_eco", "autre")
SIZES = (5, 40, 100)


def build_map(territory, lead, actors_count: int) -> Project:
    rnd = random.Random(actors_count)
    project = Project.objects.create(territory=territory, lead=lead, title=f"Carte de {actors_count} acteurs")
    actors = Actor.objects.bulk_create(
        Actor(project=project, name=f"Acteur {i} du territoire", family=FAMILIES[i % 5], position=i)
        for i in range(actors_count)
    )
    pairs = set()
    while len(pairs) < actors_count * 3 // 2:
        pairs.add(tuple(rnd.sample(range(actors_count), 2)))
    Influence.objects.bulk_create(
        Influence(
            project=project,
            source=actors[a],
            target=actors[b],
            strength=rnd.choice(("weak", "medium", "strong")),
            sign=rnd.choice(("positive", "negative")),
        )
        for a, b in sorted(pairs)
    )
    previous = None
    for order in range(max(2, actors_count // 7)):
        action = Action.objects.create(project=project, order=order, title=f"Action {order}")
        action.carriers.set(rnd.sample(actors, 2))
        if previous is not None:
            previous.leads_to.add(action)
        previous = action
    return project


def measure(project, repeat: int) -> dict:
    rows = {
        "actors": list(project.actors.all()),
        "influences": list(project.influences.all()),
        "actions": list(project.actions.prefetch_related("carriers", "leads_to")),
    }
    svg = actor_map_svg(project, **rows)  # warm-up
    cold, warm = [], []
    for _ in range(repeat):
        cache.clear()
        start = time.perf_counter()
        actor_map_svg(project, **rows)
        cold.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        actor_map_svg(project, **rows)
        warm.append((time.perf_counter() - start) * 1000)
    cache.clear()
    tracemalloc.start()
    actor_map_svg(project, **rows)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return {
        "influences": len(rows["influences"]),
        "actions": len(rows["actions"]),
        "cold": statistics.median(cold),
        "warm": statistics.median(warm),
        "peak_kib": peak / 1024,
        "svg_kib": len(svg.encode()) / 1024,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with throwaway_database():
        territory, lead = TerritoryFactory(), UserFactory()
        header = (
            f"{'acteurs':>8} {'influences':>11} {'actions':>8} {'à froid':>10} {'en cache':>10} "
            f"{'pic mémoire':>12} {'SVG':>9}"
        )
        print(header)
        print("-" * len(header))
        for size in SIZES:
            result = measure(build_map(territory, lead, size), args.repeat)
            print(
                f"{size:>8} {result['influences']:>11} {result['actions']:>8} {result['cold']:>7.1f} ms "
                f"{result['warm']:>7.1f} ms {result['peak_kib']:>8.0f} KiB {result['svg_kib']:>5.0f} KiB",
                flush=True,
            )


if __name__ == "__main__":
    main()
