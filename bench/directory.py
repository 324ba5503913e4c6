"""Benchmark of the public directory and the admin review queue with 2,000 organisations.

    python -m fabrique.devdb -- python bench/directory.py [--organisations 2000] [--requests 50]

Builds a throwaway database (Django's test database machinery, under its own name so that it never
meets the test suite's), fills it in bulk, requests each page through the test client (the whole
middleware stack, templates included) and prints, per page, the median and 95th percentile time, the
number of queries and the peak memory allocated by one request (tracemalloc). The database is dropped at
the end. Not part of the test suite.
"""

import argparse
import itertools
import sys
import time

from common import print_measurements, setup_django, throwaway_database, web_settings

setup_django()

from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402


def populate(organisations: int) -> dict:
    """Organisations (4 in 5 accepted members, 1 in 5 candidates), a person for each, audit entries."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.contrib.contenttypes.models import ContentType

    from accounts.models import PlatformRole, User
    from alliance.models import (
        Category,
        Charter,
        Membership,
        MembershipKind,
        MembershipStatus,
        Organisation,
        Region,
    )
    from core.models import AuditEntry

    # The current charter of a database that has one already (bench/pages.py adds these to the demo data).
    charter = Charter.objects.filter(is_current=True).first() or Charter.objects.create(
        version=1, preamble="Préambule.", commitments=["Agir."], is_current=True
    )
    admin = User.objects.create_user(
        "admin-bench@exemple.fr", password=None, full_name="Camille Admin", role=PlatformRole.ADMIN
    )
    TOTP.activate(admin, generate_totp_secret())  # admins need two-factor authentication to get in

    categories, regions = itertools.cycle(Category.values), itertools.cycle(Region.values)
    people = User.objects.bulk_create(
        [
            User(email=f"allie{i}@exemple.fr", full_name=f"Allié·e Numéro {i}", function="Chargée de mission")
            for i in range(organisations)
        ],
        batch_size=1000,
    )
    orgs = Organisation.objects.bulk_create(
        [
            Organisation(
                name=f"{'Commune' if i % 3 else 'Réseau'} de Saint-Étienne n°{i}",
                category=next(categories),
                region=next(regions),
                description="Une organisation engagée dans la transition.",
            )
            for i in range(organisations)
        ],
        batch_size=1000,
    )
    memberships = []
    for i, (person, org) in enumerate(zip(people, orgs, strict=True)):
        candidate = i % 5 == 4
        memberships.append(
            Membership(
                kind=MembershipKind.ORGANISATION,
                organisation=org,
                signatory=person,
                charter=charter,
                mandate="Mandaté·e par le président.",
                status=MembershipStatus.CANDIDATE if candidate else MembershipStatus.ACCEPTED,
            )
        )
        if i % 4 == 0:  # a quarter of the people also joined for themselves
            memberships.append(
                Membership(
                    kind=MembershipKind.PERSON,
                    signatory=person,
                    charter=charter,
                    status=MembershipStatus.ACCEPTED,
                )
            )
    memberships = Membership.objects.bulk_create(memberships, batch_size=1000)
    membership_type = ContentType.objects.get_for_model(Membership)
    AuditEntry.objects.bulk_create(
        [
            AuditEntry(
                actor=m.signatory,
                action="membership.apply",
                target_type=membership_type,
                target_id=str(m.pk),
                target_repr=f"Adhésion {m.pk}",
                data={"charter_version": 1},
            )
            for m in memberships
        ],
        batch_size=1000,
    )
    return {"admin": admin, "organisations": len(orgs), "memberships": len(memberships)}


def scenarios(admin) -> list[tuple[str, Client, str, dict]]:
    anonymous = Client()
    admin_client = Client()
    admin_client.force_login(admin)
    directory, queue = reverse("alliance:directory"), reverse("alliance:review_queue")
    return [
        ("annuaire", anonymous, directory, {}),
        ("annuaire, page 40", anonymous, directory, {"page": "40"}),
        ("annuaire, recherche « etienne »", anonymous, directory, {"q": "etienne"}),
        ("annuaire, catégorie", anonymous, directory, {"category": "collectivite"}),
        ("annuaire, région", anonymous, directory, {"region": "OCC"}),
        (
            "annuaire, recherche + catégorie + région",
            anonymous,
            directory,
            {"q": "commune", "category": "reseau", "region": "BRE"},
        ),
        ("annuaire, personnes", anonymous, directory, {"show": "persons"}),
        ("annuaire, personnes, recherche", anonymous, directory, {"show": "persons", "q": "numero 1"}),
        ("file des candidatures", admin_client, queue, {}),
        ("file des candidatures, recherche", admin_client, queue, {"q": "reseau"}),
        ("adhésions acceptées, page 10", admin_client, queue, {"statut": "accepted", "page": "10"}),
        ("journal d'audit", admin_client, reverse("alliance:audit_log"), {}),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--organisations", type=int, default=2000)
    parser.add_argument("--requests", type=int, default=50)
    args = parser.parse_args()

    with web_settings(), throwaway_database():
        start = time.perf_counter()
        world = populate(args.organisations)
        print(
            f"Base jetable : {world['organisations']} organisations, {world['memberships']} adhésions "
            f"créées en {time.perf_counter() - start:.1f} s ; {args.requests} requêtes par page.\n"
        )
        print_measurements(scenarios(world["admin"]), args.requests, width=42)
    return 0


if __name__ == "__main__":
    sys.exit(main())
