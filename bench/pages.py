"""App CPU per request and statements of the everyday pages at real sizes, beside the targets of issue 15.

    DATABASE_URL=postgres://…/fab_bench_pages python bench/pages.py [--requests 30] [--only deliverable …]
        [--rebuild] [--pdf-repeat 3] [--profile PAGE] [--json FILE]

The database named by DATABASE_URL is the benchmark's own and is kept between runs: the first run migrates
it and builds the large data with bulk inserts (a few minutes); later runs only apply new migrations.
`--rebuild` empties it first. The data: the demo data (`seed_demo`: home page blocks, charter, reference
data), then 1,000 territories with 10,000 projects, 30,000 deliverables and 200,000 comments (the
generator of bench/projects.py; one note under review holds 666 comments), a note of about 20 comments,
20,000 library resources (bench/library_search.py), 2,000 organisations (bench/directory.py) and a long
project for the dossier PDF (bench/pdf.py: 30 stakeholders, 20 objectives, 40 steps).

Each page is requested through Django's test client with the settings as they are (no DB_CONN_MAX_AGE or
session setting forced here): around each request the database connections are released as a WSGI server
does (`close_old_connections` on request start and finish), so that a non-persistent connection is opened
again on each request. Printed per page: the median app CPU (`time.process_time()`, the whole request in
this process), the median wall time and the time spent waiting for SQL, the statements of one request
(BEGIN/COMMIT included, writes counted apart) and the targets. Then the dossier PDF: CPU of the HTML and of
WeasyPrint's rendering. `--profile PAGE` prints a pyinstrument profile of that page instead (pip install
pyinstrument). Not part of the test suite.
"""

import argparse
import io
import json
import os
import statistics
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

os.environ.setdefault("ALLOWED_HOSTS", "testserver")

from common import setup_django, web_settings  # noqa: E402

REQUESTS = 30
HOT_COMMENTS = 666
TYPICAL_COMMENTS = 20
TYPICAL_TITLE = "Projet typique de la relecture"
DOSSIER_TITLE = "Projet long de référence"
ADMIN = "admin@bench.test"


# --- The database ----------------------------------------------------------------------------------------


def _database_name() -> str:
    return urlsplit(os.environ["DATABASE_URL"]).path.lstrip("/")


def _ensure_database(rebuild: bool) -> None:
    """Create the benchmark's database if missing (or anew with --rebuild), through the server's own
    `postgres` database."""
    import psycopg

    url = urlsplit(os.environ["DATABASE_URL"])
    name = _database_name()
    with psycopg.connect(url._replace(path="/postgres").geturl(), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and rebuild:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = None
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def _is_built() -> bool:
    """The dossier's project is the last thing built: a build stopped half-way is redone with --rebuild."""
    from projects.models import Project

    return Project.objects.filter(title=DOSSIER_TITLE).exists()


def _bench_module(name: str):
    """Another benchmark script as a module, by its file: bench/projects.py shares its name with an app."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(f"bench_{name}", Path(__file__).with_name(f"{name}.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def build() -> None:
    """The whole dataset, once. Each part is another benchmark's generator, reused as it is."""
    import directory as directory_bench
    import library_search as library_bench
    import pdf as pdf_bench
    from django.core.management import call_command
    from django.db import connection, transaction

    projects_bench = _bench_module("projects")

    def step(label, function, *args, **kwargs):
        start = time.perf_counter()
        print(f"  {label}…", end=" ", flush=True)
        result = function(*args, **kwargs)
        print(f"{time.perf_counter() - start:.0f} s", flush=True)
        return result

    print("Construction des données (une seule fois) :", flush=True)
    step("données de démonstration", call_command, "seed_demo", "--allow-production", stdout=io.StringIO())
    projects_bench.HOT_COMMENTS = HOT_COMMENTS
    with transaction.atomic():
        step("1 000 territoires, 10 000 projets, 200 000 commentaires", projects_bench.generate, 1000)
        step("une note d'environ 20 commentaires", _typical_note)
    with transaction.atomic():
        step("20 000 ressources", library_bench.generate, 20_000)
    with transaction.atomic():
        step("2 000 organisations", directory_bench.populate, 2000)
    step("le projet long du dossier PDF", _long_project, pdf_bench)
    with connection.cursor() as cursor:
        step("ANALYZE", cursor.execute, "ANALYZE")


def _typical_note() -> None:
    """A submitted note of the hot facilitator's other projects, with exactly TYPICAL_COMMENTS comments: 14
    threads (5 resolved) and 6 replies."""
    from django.db.models import Count
    from django.utils import timezone

    from projects.models import Comment, Deliverable, DeliverableStatus, Project

    hot = _hot_deliverable()
    facilitator = hot.project.facilitators.get()
    deliverable = (
        Deliverable.objects.filter(status=DeliverableStatus.SUBMITTED, project__facilitators=facilitator)
        .exclude(pk=hot.pk)
        .select_related("project")
        .annotate(n=Count("comments"))
        .order_by("-n", "pk")
        .first()
    )
    Project.objects.filter(pk=deliverable.project_id).update(title=TYPICAL_TITLE)
    Comment.objects.filter(deliverable=deliverable).delete()
    version = deliverable.versions.get()
    questions = list(deliverable.question_set.questions.values_list("pk", flat=True))
    people = [deliverable.project.lead_id, facilitator.pk]
    roots = Comment.objects.bulk_create(
        Comment(
            deliverable=deliverable,
            question_id=questions[n % len(questions)] if n % 7 else None,
            version=version,
            author_id=people[n % 2],
            body=f"Remarque n°{n} : pouvez-vous préciser **qui** porte cette action ?",
            resolved_at=timezone.now() if n % 3 == 0 else None,
            resolved_by_id=people[0] if n % 3 == 0 else None,
        )
        for n in range(14)
    )
    Comment.objects.bulk_create(
        Comment(
            deliverable=deliverable,
            question_id=root.question_id,
            parent=root,
            version=version,
            author_id=people[(n + 1) % 2],
            body="Oui, c'est précisé dans la version suivante.",
        )
        for n, root in enumerate(roots[:6])
    )


def _long_project(pdf_bench) -> None:
    from django.db import transaction

    from accounts.models import User
    from territories.models import Territory

    territory = Territory.objects.get(is_pilot=True, name__icontains="Pôle")
    agent = User.objects.get(email="agent@demo.fabrique.test")
    facilitator = User.objects.get(email="facilitatrice@demo.fabrique.test")
    with transaction.atomic():
        pdf_bench.long_project(territory, agent, facilitator, DOSSIER_TITLE)
        # Its notifications and documents are not what is measured here.
        transaction.get_connection().run_on_commit.clear()


def _hot_deliverable():
    from django.db.models import Count

    from projects.models import Comment, Deliverable

    row = (
        Comment.objects.order_by()
        .values("deliverable")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .values_list("deliverable", flat=True)
        .first()
    )
    return Deliverable.objects.select_related("project").get(pk=row)


# --- Measuring -------------------------------------------------------------------------------------------


@dataclass
class Page:
    label: str
    key: str
    client: object
    method: str
    url: str
    params: dict = field(default_factory=dict)
    headers: dict = field(default_factory=dict)
    target_cpu: str = "—"
    target_statements: str = "—"
    before: str = ""  # the figures of the issue, for the reader
    # Called before each request for a POST whose data changes (the autosave's base version).
    data: object = None
    expected: int = 200


@contextmanager
def sql_timer():
    """Wall time spent in the database driver's execute calls, in ms, read as `timer[0]` after the block."""
    from django.db import connection

    total = [0.0]

    def wrapper(execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            total[0] += (time.perf_counter() - start) * 1000

    with connection.execute_wrapper(wrapper):
        yield total


def request(page: Page):
    """One request as a WSGI server serves it: connections released when it starts and when it ends."""
    from django.db import close_old_connections

    close_old_connections()
    if page.method == "GET":
        response = page.client.get(page.url, page.params, headers=page.headers)
    else:
        response = page.client.post(page.url, page.data(), headers=page.headers)
    close_old_connections()
    assert response.status_code == page.expected, (page.label, response.status_code)
    return response


def measure(page: Page, requests: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    request(page)  # warm-up: templates loaded, caches filled
    cpu, wall, sql = [], [], []
    for _ in range(requests):
        with sql_timer() as timer:
            started_cpu, started = time.process_time(), time.perf_counter()
            request(page)
            cpu.append((time.process_time() - started_cpu) * 1000)
            wall.append((time.perf_counter() - started) * 1000)
        sql.append(timer[0])
    with CaptureQueriesContext(connection) as captured:
        response = request(page)
    statements = [q["sql"] for q in captured.captured_queries]
    writes = [s for s in statements if s.split(None, 1)[0].upper() in ("INSERT", "UPDATE", "DELETE")]
    return {
        "cpu_ms": statistics.median(cpu),
        "wall_ms": statistics.median(wall),
        "sql_ms": statistics.median(sql),
        "statements": len(statements),
        "writes": len(writes),
        "bytes": len(response.content),
    }


def print_table(pages: list[Page], requests: int) -> dict:
    width = max(len(p.label) for p in pages)
    header = (
        f"{'page':<{width}} {'CPU':>9} {'cible':>8} {'instr.':>7} {'écritures':>9} {'cible':>6} "
        f"{'mur':>9} {'SQL':>9} {'HTML':>8}   avant (issue 15)"
    )
    print(header)
    print("-" * len(header))
    results = {}
    for page in pages:
        result = measure(page, requests)
        results[page.key] = result
        print(
            f"{page.label:<{width}} {result['cpu_ms']:>6.1f} ms {page.target_cpu:>8} "
            f"{result['statements']:>7} {result['writes']:>9} {page.target_statements:>6} "
            f"{result['wall_ms']:>6.1f} ms {result['sql_ms']:>6.1f} ms "
            f"{result['bytes'] / 1024:>5.0f} KB   {page.before}",
            flush=True,
        )
    return results


def measure_pdf(repeat: int) -> dict:
    """CPU of the dossier of the long project: its HTML (queries, templates, charts), then WeasyPrint."""
    from documents.models import Variant
    from documents.rendering import dossier_html, dossier_notes, render_pdf
    from projects.models import Project

    project = Project.objects.select_related("territory").get(title=DOSSIER_TITLE)
    html_cpu, pdf_cpu, pages = [], [], 0
    for _ in range(repeat + 1):  # the first one loads fonts and templates
        start = time.process_time()
        html = dossier_html(project=project, notes=dossier_notes(project))
        middle = time.process_time()
        rendered = render_pdf(html, variant=Variant.ACCESSIBLE, identifier="bench")
        html_cpu.append((middle - start) * 1000)
        pdf_cpu.append((time.process_time() - middle) * 1000)
        pages = rendered.page_count
    return {
        "html_cpu_ms": statistics.median(html_cpu[1:]),
        "pdf_cpu_ms": statistics.median(pdf_cpu[1:]),
        "pages": pages,
        "html_kb": len(html) / 1024,
    }


# --- The pages -------------------------------------------------------------------------------------------


def signed_in(user):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def pages() -> list[Page]:
    from django.conf import settings
    from django.test import Client
    from django.urls import reverse

    from accounts.models import User
    from projects.models import Answer, Deliverable, DeliverableStatus

    hot = _hot_deliverable()
    project = hot.project
    facilitator = project.facilitators.get()
    lead = project.lead
    admin = User.objects.get(email=ADMIN)
    typical = Deliverable.objects.get(project__title=TYPICAL_TITLE, status=DeliverableStatus.SUBMITTED)
    anonymous = Client()

    lead_client, facilitator_client, admin_client = signed_in(lead), signed_in(facilitator), signed_in(admin)

    # The autosave: a note being written by the first agent; the base version follows each save.
    writer = User.objects.get(email="agent0@bench.test")
    draft = (
        Deliverable.objects.filter(project__lead=writer, status=DeliverableStatus.DRAFT)
        .select_related("question_set")
        .order_by("pk")
        .first()
    )
    question = draft.question_set.questions.order_by("number").first()
    writer_client = signed_in(writer)
    draft_url = reverse("projects:deliverable", args=[draft.project_id, draft.kind])
    writer_client.get(draft_url)  # the CSRF cookie, as the page the autosave runs on sets it
    token = writer_client.cookies[settings.CSRF_COOKIE_NAME].value
    answer = Answer.objects.filter(deliverable=draft, question=question).first()
    version = [answer.version if answer else 0]

    def autosave_data():
        # Each save is answered with the new base version, as autosave.js reads it; it follows here.
        data = {"text": f"Réponse enregistrée automatiquement, frappe n°{version[0]}.", "version": version[0]}
        version[0] += 1
        return data

    def deliverable_url(d):
        return reverse("projects:deliverable", args=[d.project_id, d.kind])

    return [
        Page(
            "requête connectée nue (robots.txt)",
            "bare",
            lead_client,
            "GET",
            reverse("pages:robots"),
            target_cpu="≤ 1.5 ms",
            target_statements="≤ 2",
            before="5.2 ms, 3 + BEGIN/COMMIT, UPDATE de session",
        ),
        Page(
            f"livrable, {HOT_COMMENTS} commentaires",
            "deliverable_hot",
            facilitator_client,
            "GET",
            deliverable_url(hot),
            target_cpu="≤ 80 ms",
            target_statements="≤ 12",
            before="707 ms, 22",
        ),
        Page(
            f"livrable typique ({TYPICAL_COMMENTS} commentaires)",
            "deliverable_typical",
            facilitator_client,
            "GET",
            deliverable_url(typical),
            target_cpu="≤ 25 ms",
            target_statements="≤ 12",
            before="—, 22",
        ),
        Page(
            "page projet",
            "project",
            lead_client,
            "GET",
            reverse("projects:detail", args=[project.pk]),
            target_cpu="≤ 20 ms",
            target_statements="≤ 12",
            before="45 ms, 18",
        ),
        Page(
            "file de relecture, admin",
            "queue_admin",
            admin_client,
            "GET",
            reverse("projects:review_queue"),
            target_cpu="≤ 25 ms",
            target_statements="≤ 12",
            before="75 ms, 14",
        ),
        Page(
            "file de relecture, accompagnatrice",
            "queue_facilitator",
            facilitator_client,
            "GET",
            reverse("projects:review_queue"),
            target_cpu="≤ 20 ms",
            target_statements="≤ 12",
            before="38 ms, 12",
        ),
        Page(
            "tableau de bord du territoire",
            "dashboard",
            lead_client,
            "GET",
            reverse("territories:dashboard", args=[project.territory_id]),
            target_cpu="≤ 20 ms",
            target_statements="≤ 12",
            before="37.5 ms, 20–22",
        ),
        Page(
            "bibliothèque « coopération »",
            "library",
            anonymous,
            "GET",
            reverse("library:list"),
            {"q": "coopération"},
            target_cpu="≤ 15 ms",
            target_statements="≤ 12",
            before="37 ms + 258 ms SQL, 11",
        ),
        Page(
            "annuaire (2 000 organisations)",
            "directory",
            anonymous,
            "GET",
            reverse("alliance:directory"),
            target_cpu="≤ 10 ms",
            before="27.5 ms, 4",
        ),
        Page(
            "accueil public",
            "home",
            anonymous,
            "GET",
            reverse("pages:home"),
            target_cpu="≤ 5 ms",
            before="24 ms, 7",
        ),
        Page(
            "sauvegarde automatique (POST htmx)",
            "autosave",
            writer_client,
            "POST",
            reverse("projects:answer_save", args=[draft.project_id, draft.kind, question.number]),
            headers={"X-CSRFToken": token, "HX-Request": "true"},
            target_cpu="≤ 8 ms",
            target_statements="≤ 7",
            before="15.5 ms, 15, 2 COMMIT",
            data=autosave_data,
        ),
    ]


def profile(page: Page, requests: int) -> None:
    from pyinstrument import Profiler

    request(page)
    profiler = Profiler(interval=0.0005)
    with profiler:
        for _ in range(requests):
            request(page)
    print(profiler.output_text(unicode=True, color=False, show_all=False))


def show_sql(page: Page) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    request(page)
    with CaptureQueriesContext(connection) as captured:
        request(page)
    for number, query in enumerate(captured.captured_queries, 1):
        print(f"{number:>3}. [{float(query['time']) * 1000:.1f} ms] {query['sql'][:400]}")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=REQUESTS, help="Requêtes mesurées par page.")
    parser.add_argument("--only", nargs="*", help="Seulement ces pages (clés : bare, deliverable_hot, …).")
    parser.add_argument("--rebuild", action="store_true", help="Reconstruire la base du banc.")
    parser.add_argument("--pdf-repeat", type=int, default=3, help="Rendus du dossier PDF (0 : aucun).")
    parser.add_argument("--profile", metavar="PAGE", help="Profil pyinstrument d'une page.")
    parser.add_argument("--sql", metavar="PAGE", help="Les instructions SQL d'une requête de la page.")
    parser.add_argument("--json", metavar="FILE", help="Écrire aussi les résultats en JSON.")
    args = parser.parse_args()

    _ensure_database(args.rebuild)
    setup_django()
    from django.conf import settings
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    with web_settings():
        if not _is_built():
            build()
        measured = pages()
        if args.only or args.profile or args.sql:
            wanted = set(args.only or []) | {args.profile, args.sql}
            unknown = wanted - {None} - {p.key for p in measured}
            if unknown:
                known = ", ".join(p.key for p in measured)
                parser.error(f"pages inconnues : {', '.join(sorted(unknown))} ; pages : {known}")
            measured = [p for p in measured if p.key in wanted]
        if args.profile:
            profile(measured[0], args.requests)
            return 0
        if args.sql:
            show_sql(measured[0])
            return 0
        database = settings.DATABASES["default"]
        print(
            f"\nBase {database['NAME']} ; CONN_MAX_AGE={database['CONN_MAX_AGE']}, "
            f"CONN_HEALTH_CHECKS={database.get('CONN_HEALTH_CHECKS', False)}, "
            f"SESSION_SAVE_EVERY_REQUEST={settings.SESSION_SAVE_EVERY_REQUEST}, "
            f"cache {settings.CACHES['default']['BACKEND'].rsplit('.', 1)[-1]} ; "
            f"médianes sur {args.requests} requêtes.\n"
        )
        results = print_table(measured, args.requests)
        if args.pdf_repeat and not args.only:
            pdf = measure_pdf(args.pdf_repeat)
            results["dossier_pdf"] = pdf
            print(
                f"\nDossier PDF du projet long ({pdf['pages']} pages, HTML {pdf['html_kb']:.0f} KB) : "
                f"CPU {pdf['html_cpu_ms'] + pdf['pdf_cpu_ms']:.0f} ms "
                f"(HTML {pdf['html_cpu_ms']:.0f} ms, WeasyPrint {pdf['pdf_cpu_ms']:.0f} ms), "
                f"cible ≤ 1 500 ms ; avant (issue 15) 3 400 à 3 600 ms.",
                flush=True,
            )
    if args.json:
        with open(args.json, "w", encoding="utf-8") as out:
            json.dump(results, out, indent=2, ensure_ascii=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
