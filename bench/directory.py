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
import os
import secrets
import statistics
import sys
import tempfile
import time
import tracemalloc
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# The test suite's environment: production-like settings (DEBUG off) over plain HTTP on the test server.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fabrique.settings")
os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
os.environ.setdefault("HTTPS", "0")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("LOG_LEVEL", "WARNING")
# WhiteNoise warns that collectstatic has not run: the benchmark does not serve static files.
warnings.filterwarnings("ignore", message="No directory at")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
    setup_test_environment,
    teardown_test_environment,
)
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

    charter = Charter.objects.create(version=1, preamble="Préambule.", commitments=["Agir."], is_current=True)
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


def measure(client, url, params, requests: int) -> dict:
    response = client.get(url, params)  # warm-up: template loading, caches
    assert response.status_code == 200, (url, params, response.status_code)
    timings = []
    for _ in range(requests):
        start = time.perf_counter()
        response = client.get(url, params)
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    with CaptureQueriesContext(connection) as captured:
        client.get(url, params)
    queries = len(captured)  # now: the next request empties the connection's query log
    # Memory on separate requests: tracemalloc slows Python down and would spoil the timings.
    tracemalloc.start()
    peaks = []
    for _ in range(5):
        tracemalloc.reset_peak()
        client.get(url, params)
        peaks.append(tracemalloc.get_traced_memory()[1])
    tracemalloc.stop()
    return {
        "median": statistics.median(timings),
        "p95": statistics.quantiles(timings, n=20)[-1],
        "queries": queries,
        "peak_kib": max(peaks) / 1024,
    }


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--organisations", type=int, default=2000)
    parser.add_argument("--requests", type=int, default=50)
    args = parser.parse_args()

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.CELERY_TASK_ALWAYS_EAGER = True
    media = tempfile.TemporaryDirectory(prefix="fabrique-bench-")
    settings.STORAGES = {
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": media.name},
        },
        # No collectstatic here: the manifest storage of production would fail on {% static %}.
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # Its own database name: a test run in parallel (test_<name>) is left alone.
    settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = f"bench_fabrique_{os.getpid()}"

    setup_test_environment()
    old_name = settings.DATABASES["default"]["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        start = time.perf_counter()
        world = populate(args.organisations)
        print(
            f"Base jetable : {world['organisations']} organisations, {world['memberships']} adhésions "
            f"créées en {time.perf_counter() - start:.1f} s ; {args.requests} requêtes par page.\n"
        )
        header = f"{'page':<42} {'médiane':>9} {'p95':>9} {'requêtes':>9} {'pic mémoire':>12}"
        print(header)
        print("-" * len(header))
        for label, client, url, params in scenarios(world["admin"]):
            result = measure(client, url, params, args.requests)
            print(
                f"{label:<42} {result['median']:>6.1f} ms {result['p95']:>6.1f} ms {result['queries']:>9} "
                f"{result['peak_kib']:>8.0f} KiB"
            )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()
        media.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
