"""Benchmark of the territory pages on the full official reference data and ~1,000 territories.

    python -m fabrique.devdb -- python bench/territories.py [--territories 1000] [--requests 40]

Builds a throwaway database (Django's test database machinery, under its own name so that it never
meets the test suite's), imports the whole official reference data (régions, départements, EPCI,
~35,000 communes), seeds the demo (`seed_demo`: accounts, alliance, the Tarn pilot), then creates
territories of every kind from the real reference rows through `territories.services.territory_create`:
communes, EPCI, groupings of 3 to 5 EPCI of one département, a few départements and régions (3 in 4
published). Each page is then requested through the test client (the whole middleware stack, templates
included), anonymously and as the demo admin, and the median and 95th percentile time, the number of
queries and the peak memory allocated by one request (tracemalloc) are printed. The database is dropped
at the end. Not part of the test suite.
"""

import argparse
import io
import sys
import time

from common import print_measurements, setup_django, throwaway_database, web_settings

setup_django()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

# The share of each kind in the extra territories (the rest are communes).
REGIONS, DEPARTMENTS = 6, 24
EPCI_SHARE, GROUPING_SHARE = 0.40, 0.12
# Where the filtered lists look: the Tarn pilot's département and région, and a frequent word of names.
DEPARTMENT_CODE, REGION_CODE, SEARCH = "81", "76", "saint"


def spread(rows: list, count: int) -> list:
    """`count` rows taken at regular intervals over `rows` (ordered by code: all over France)."""
    if count >= len(rows):
        return rows
    step = len(rows) / count
    return [rows[int(i * step)] for i in range(count)]


def create_territories(total: int, admin) -> dict[str, int]:
    from reference.models import Commune, Department, Epci, Region
    from territories.demo import PILOT_EPCI
    from territories.models import GroupingKind, Territory, TerritoryKind
    from territories.services import territory_create

    created = {kind: 0 for kind in TerritoryKind.values}

    def create(kind, **kwargs):
        territory_create(actor=admin, kind=kind, **kwargs)
        created[kind] += 1

    for region in spread(list(Region.objects.filter(is_active=True).order_by("code")), REGIONS):
        create(TerritoryKind.REGION, reference=region)
    for department in spread(list(Department.objects.filter(is_active=True).order_by("code")), DEPARTMENTS):
        create(TerritoryKind.DEPARTMENT, reference=department)

    # Groupings: 3 to 5 EPCI of one département (by the département of their communes), pilot EPCI aside.
    groupings = round(total * GROUPING_SHARE)
    by_department: dict[str, list[int]] = {}
    rows = (
        Commune.objects.filter(is_active=True, epci__isnull=False)
        .exclude(epci__siren__in=PILOT_EPCI)
        .values_list("department__code", "epci_id")
        .order_by("department__code", "epci__siren")
        .distinct()
    )
    for code, epci_id in rows:
        members = by_department.setdefault(code, [])
        if epci_id not in members:
            members.append(epci_id)
    sets = []
    for code, epci_ids in by_department.items():
        size, start = 3, 0
        while start + size <= len(epci_ids):
            sets.append((code, epci_ids[start : start + size]))
            start += size
            size = 3 + (size - 2) % 3  # 3, 4, 5, 3, …
    grouping_kinds = [kind for kind in GroupingKind.values if kind != GroupingKind.POLE]
    for i, (code, epci_ids) in enumerate(spread(sets, groupings)):
        create(
            TerritoryKind.GROUPING,
            name=f"Regroupement n°{i + 1} ({code})",
            epcis=Epci.objects.filter(pk__in=epci_ids),
            grouping_kind=grouping_kinds[i % len(grouping_kinds)],
        )

    epcis = list(Epci.objects.filter(is_active=True).order_by("siren"))
    for epci in spread(epcis, round(total * EPCI_SHARE)):
        create(TerritoryKind.EPCI, reference=epci)
    remaining = total - sum(created.values())
    communes = list(Commune.objects.filter(is_active=True).order_by("insee_code"))
    for commune in spread(communes, remaining):
        create(TerritoryKind.COMMUNE, reference=commune)

    # 3 in 4 published, so that the anonymous list has about as many rows as the admin's.
    extra = Territory.objects.filter(is_pilot=False).order_by("pk").values_list("pk", flat=True)
    Territory.objects.filter(pk__in=[pk for i, pk in enumerate(extra) if i % 4]).update(is_published=True)
    return created


def scenarios(admin, pilot) -> list[tuple[str, Client, str, dict]]:
    anonymous = Client()
    admin_client = Client()
    admin_client.force_login(admin)
    listing = reverse("territories:list")
    pages = []
    for who, client in (("anonyme", anonymous), ("admin", admin_client)):
        pages += [
            (f"liste ({who})", client, listing, {}),
            (f"liste, type EPCI ({who})", client, listing, {"kind": "epci"}),
            (
                f"liste, département {DEPARTMENT_CODE} ({who})",
                client,
                listing,
                {"department": DEPARTMENT_CODE},
            ),
            (f"liste, région {REGION_CODE} ({who})", client, listing, {"region": REGION_CODE}),
            (f"liste, recherche « {SEARCH} » ({who})", client, listing, {"q": SEARCH}),
        ]
    detail = reverse("territories:detail", args=[pilot.pk])
    pages += [
        ("liste, page 10 (admin)", admin_client, listing, {"page": "10"}),
        ("profil public du pilote (anonyme)", anonymous, detail, {}),
        ("profil public du pilote (admin)", admin_client, detail, {}),
        ("tableau de bord (admin)", admin_client, reverse("territories:dashboard", args=[pilot.pk]), {}),
        ("équipe (admin)", admin_client, reverse("territories:team", args=[pilot.pk]), {}),
        ("auto-évaluations (admin)", admin_client, reverse("territories:assessments", args=[pilot.pk]), {}),
    ]
    return pages


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--territories", type=int, default=1000, help="Territoires créés en plus du pilote.")
    parser.add_argument("--requests", type=int, default=40)
    args = parser.parse_args()

    from accounts.models import User
    from reference.importer import import_reference_data
    from reference.models import Commune, Epci
    from territories.demo import PILOT_NAME
    from territories.models import Territory

    with web_settings(), throwaway_database():
        start = time.perf_counter()
        import_reference_data()
        imported = time.perf_counter() - start
        print(
            f"Référentiel : {Commune.objects.filter(is_active=True).count()} communes, "
            f"{Epci.objects.filter(is_active=True).count()} EPCI importés en {imported:.1f} s "
            f"({settings.REFERENCE_DATA_DIR})."
        )
        start = time.perf_counter()
        call_command("seed_demo", allow_production=True, stdout=io.StringIO())
        print(f"Démo (seed_demo, référentiel déjà là) : {time.perf_counter() - start:.1f} s.")
        admin = User.objects.get(email="admin@demo.fabrique.test")
        pilot = Territory.objects.get(name=PILOT_NAME)

        start = time.perf_counter()
        created = create_territories(args.territories, admin)
        seconds = time.perf_counter() - start
        kinds = ", ".join(f"{kind} {count}" for kind, count in created.items())
        print(
            f"Territoires : {sum(created.values())} créés par territory_create en {seconds:.1f} s "
            f"({1000 * seconds / max(sum(created.values()), 1):.1f} ms chacun ; {kinds}) ; "
            f"{Territory.objects.count()} au total, {Territory.objects.filter(is_published=True).count()} "
            f"publiés ; {args.requests} requêtes par page.\n"
        )

        print_measurements(scenarios(admin, pilot), args.requests, width=44)
    return 0


if __name__ == "__main__":
    sys.exit(main())
