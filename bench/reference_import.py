"""Benchmark of `import_reference_data` on the full official data (régions, départements, EPCI, communes).

    python -m fabrique.devdb -- python bench/reference_import.py [--source DIR]

Builds a throwaway database (Django's test database machinery, under its own name so that it never meets
the test suite's), then times:
1. the first import, into empty tables;
2. a second import of the same files (nothing to write), after three territories were created on the data
   (the Tarn pilot grouping, the Tarn, Occitanie), whose totals it refreshes.
Then both again, with tracemalloc on, for the peak memory Python allocated (tracemalloc slows Python down:
the timings come from the runs without it). The database is dropped at the end. Not part of the test suite.
"""

import argparse
import resource
import sys
import time
import tracemalloc

from common import setup_django, throwaway_database

setup_django()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402


def create_territories():
    from reference.models import Department, Epci, Region
    from territories.demo import PILOT_EPCI
    from territories.models import TerritoryKind
    from territories.services import territory_create

    territory_create(
        actor=None,
        kind=TerritoryKind.GROUPING,
        name="Pôle Territorial (Tarn)",
        epcis=Epci.objects.filter(siren__in=PILOT_EPCI),
        grouping_kind="pole",
    )
    territory_create(actor=None, kind=TerritoryKind.DEPARTMENT, reference=Department.objects.get(code="81"))
    territory_create(actor=None, kind=TerritoryKind.REGION, reference=Region.objects.get(code="76"))


def empty_reference_tables():
    from reference.models import Commune, Department, Epci, Region
    from territories.models import Territory

    tables = [model._meta.db_table for model in (Territory, Commune, Epci, Department, Region)]
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(tables)} CASCADE")


def describe(label, report, seconds):
    levels = ", ".join(
        f"{level.label} {level.active} (+{level.created} ~{level.updated} -{level.deactivated})"
        for level in report.levels
    )
    followers = "".join(f"; {name} : {count}" for name, count in report.followers)
    print(f"{label:<34} {seconds:>6.2f} s   {levels}{followers}")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--source", help="Dossier des fichiers JSON (REFERENCE_DATA_DIR par défaut).")
    args = parser.parse_args()

    from reference.importer import import_reference_data

    with throwaway_database():
        print(f"Source : {args.source or settings.REFERENCE_DATA_DIR}\n")
        start = time.perf_counter()
        first = import_reference_data(args.source)
        describe("1er import (tables vides)", first, time.perf_counter() - start)
        create_territories()
        start = time.perf_counter()
        second = import_reference_data(args.source)
        describe("2e import (identique)", second, time.perf_counter() - start)

        empty_reference_tables()
        peaks = []
        tracemalloc.start()
        for _run in range(2):
            tracemalloc.reset_peak()
            import_reference_data(args.source)
            peaks.append(tracemalloc.get_traced_memory()[1] / 2**20)
        tracemalloc.stop()
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"\nPic mémoire Python (tracemalloc) : 1er import {peaks[0]:.0f} Mio, "
            f"2e import {peaks[1]:.0f} Mio ; RSS maximal du processus : {rss:.0f} Mio."
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
