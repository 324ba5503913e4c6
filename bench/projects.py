"""Benchmark of the project pages under concurrent load, on 1,000 territories' worth of projects.

    python -m fabrique.devdb -- python bench/projects.py [--territories 1000] [--workers 2] [--threads 8]
        [--seconds 15]

Builds a throwaway database (Django's test database machinery, under its own name), then generates with bulk
inserts: 1,000 territories with a team member each, 50 facilitators (20 territories each), 10,000 projects
(10 per territory), 30,000 deliverables (every project has its three; a third of the submitted ones wait for
review), their submitted versions, 200,000 comments (a third of them replies) and 50,000 audit entries.
One project, the page measured, holds 500 comments.

Then it serves the platform with gunicorn on loopback (sync workers, `--workers`), its URL configuration
extended in the server process only by a bare Django view (`/bench/bare/`: an HttpResponse through the same
middleware stack), and drives concurrent load with `--threads` client threads, each with its own keep-alive
connection (neither wrk nor locust is installed: the driver is this script's threads and http.client), for
`--seconds` per scenario:
- the bare view (signed in, the reference),
- the project page (signed in as the project's lead),
- the review queue (signed in as a facilitator, then as the admin),
- an autosave: the htmx POST of an answer, each thread on its own question, the base version following.
Prints p50/p95 latency, throughput and the ratio to the bare view. The database is dropped at the end.
Not part of the test suite.
"""

import argparse
import http.client
import json
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
import types
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode, urlsplit

os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,testserver")

from common import setup_django, throwaway_database, web_settings  # noqa: E402

PROJECTS_PER_TERRITORY = 10
# 200,000 comments for 10,000 projects.
COMMENTS_PER_PROJECT = 20
FACILITATORS = 50
TERRITORIES_PER_FACILITATOR = 20
HOT_COMMENTS = 500
BATCH = 5_000


# --- The server (run in a subprocess: `bench/projects.py --serve PORT WORKERS`) -------------------------


def _bare(request):
    from django.http import HttpResponse

    return HttpResponse("ok", content_type="text/plain")


def serve(port: int, workers: int) -> None:
    """gunicorn serving the platform plus the bare view, on loopback; the bare view exists only here."""
    setup_django()
    from django.conf import settings
    from django.core.wsgi import get_wsgi_application
    from django.urls import include, path
    from gunicorn.app.base import BaseApplication

    urlconf = types.ModuleType("bench_urls")
    urlconf.urlpatterns = [path("bench/bare/", _bare), path("", include(settings.ROOT_URLCONF))]
    settings.ROOT_URLCONF = urlconf
    application = get_wsgi_application()

    class Server(BaseApplication):
        def load_config(self):
            for key, value in {
                "bind": f"127.0.0.1:{port}",
                "workers": workers,
                "worker_class": "sync",
                "keepalive": 30,
                "accesslog": None,
                "loglevel": "warning",
                "timeout": 120,
            }.items():
                self.cfg.set(key, value)

        def load(self):
            return application

    # The same settings as the data generation: static files without collectstatic's manifest.
    with web_settings():
        Server().run()


# --- The data ------------------------------------------------------------------------------------------


def _bulk(model, rows):
    created = []
    for start in range(0, len(rows), BATCH):
        created += model.objects.bulk_create(rows[start : start + BATCH])
    return created


def generate(territory_count: int) -> dict:
    """Bulk inserts of the whole dataset; returns the people and objects the scenarios use."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    from accounts.models import PlatformRole, User
    from core.models import AuditEntry, Theme
    from projects.models import (
        Comment,
        Deliverable,
        DeliverableKind,
        DeliverableStatus,
        DeliverableVersion,
        Project,
        QuestionSet,
        Stage,
    )
    from territories.models import GroupingKind, TeamMember, TeamRole, Territory, TerritoryKind

    rng = random.Random(2026)
    now = timezone.now()
    # Sessions are opened with force_login: nobody types a password here.
    hashed = "!"
    admin = User.objects.create(
        email="admin@bench.test", full_name="Admin Bench", role=PlatformRole.ADMIN, password=hashed
    )
    # Admins need two-factor authentication to reach anything (accounts.middleware).
    TOTP.activate(admin, generate_totp_secret())
    facilitators = _bulk(
        User,
        [
            User(
                email=f"facilitatrice{n}@bench.test",
                full_name=f"Accompagnatrice {n}",
                password=hashed,
                role=PlatformRole.FACILITATOR,
            )
            for n in range(FACILITATORS)
        ],
    )
    agents = _bulk(
        User,
        [
            User(email=f"agent{n}@bench.test", full_name=f"Agent {n}", password=hashed)
            for n in range(territory_count)
        ],
    )
    kinds = [k for k in GroupingKind.values if k != GroupingKind.POLE]
    territories = _bulk(
        Territory,
        [
            Territory(
                name=f"Territoire {n}",
                kind=TerritoryKind.GROUPING,
                grouping_kind=kinds[n % len(kinds)],
                is_published=n % 4 != 0,
            )
            for n in range(territory_count)
        ],
    )
    _bulk(
        TeamMember,
        [
            TeamMember(territory=t, user=a, role=TeamRole.AGENT, is_manager=True)
            for t, a in zip(territories, agents, strict=True)
        ],
    )
    follow = Territory.facilitators.through
    _bulk(
        follow,
        [
            follow(
                territory_id=t.pk, user_id=facilitators[i // TERRITORIES_PER_FACILITATOR % FACILITATORS].pk
            )
            for i, t in enumerate(territories)
        ],
    )

    themes = list(Theme.objects.all())
    projects = _bulk(
        Project,
        [
            Project(
                territory=t,
                title=f"Projet {n} de {t.name}",
                summary="Un projet de coopération.",
                lead=agents[i],
                created_by=agents[i],
            )
            for i, t in enumerate(territories)
            for n in range(PROJECTS_PER_TERRITORY)
        ],
    )
    _bulk(
        Project.members.through,
        [Project.members.through(project_id=p.pk, user_id=p.lead_id) for p in projects],
    )
    _bulk(
        Project.themes.through,
        [Project.themes.through(project_id=p.pk, theme_id=rng.choice(themes).pk) for p in projects],
    )
    by_territory = {row.territory_id: row.user_id for row in follow.objects.all()}
    _bulk(
        Project.facilitators.through,
        [
            Project.facilitators.through(project_id=p.pk, user_id=by_territory[p.territory_id])
            for p in projects
        ],
    )

    # Every project has its three notes: 30% cadrage reopened and resubmitted (faisabilité draft), 30%
    # faisabilité submitted, 30% faisabilité being written, 10% launched.
    sets = {qs.kind: qs for qs in QuestionSet.objects.filter(is_current=True)}
    V, S, D = DeliverableStatus.VALIDATED, DeliverableStatus.SUBMITTED, DeliverableStatus.DRAFT
    plans = [((V, 1), (S, 2), (D, 1), Stage.FAISABILITE)] * 3 + [
        ((V, 1), (V, 1), (S, 1), Stage.FAISABILITE)
    ] * 3
    plans += [((V, 1), (V, 1), (D, 1), Stage.FAISABILITE)] * 3 + [((V, 1), (V, 1), (V, 1), Stage.LAUNCHED)]
    rows, stages = [], {}
    for i, project in enumerate(projects):
        *states, stage = plans[i % len(plans)]
        stages.setdefault(stage, []).append(project.pk)
        for kind, (status, revision) in zip(DeliverableKind.ordered(), states, strict=True):
            waited = timedelta(hours=rng.randint(1, 24 * 40))
            rows.append(
                Deliverable(
                    project=project,
                    kind=kind,
                    question_set=sets[kind],
                    status=status,
                    revision=revision,
                    submitted_at=now - waited if status in (S, V) else None,
                    validated_at=now - waited / 2 if status == V else None,
                )
            )
    deliverables = _bulk(Deliverable, rows)
    for stage, pks in stages.items():
        Project.objects.filter(pk__in=pks).update(stage=stage)

    content = {
        "questions": [{"number": 1, "text": "Q", "help_text": "", "structured_part": "", "answer": "R"}],
        "parts": {},
    }
    versions = _bulk(
        DeliverableVersion,
        [
            DeliverableVersion(
                deliverable=d,
                number=1,
                revision=1,
                content=content,
                submitted_by_id=d.project.lead_id,
                submitted_at=d.submitted_at,
                decision="validated" if d.status == V else "",
            )
            for d in deliverables
            if d.status in (S, V)
        ],
    )
    version_of = {v.deliverable_id: v for v in versions}
    commented = [d for d in deliverables if d.pk in version_of]

    # The project measured: the first one with a note under review, holding HOT_COMMENTS comments.
    total_comments = COMMENTS_PER_PROJECT * len(projects)
    hot = next(d for d in deliverables if d.status == S and d.kind == DeliverableKind.CADRAGE)
    question_ids = {kind: list(qs.questions.values_list("pk", flat=True)) for kind, qs in sets.items()}

    def comment(d, parent=None):
        author = d.project.lead_id if rng.random() < 0.5 else by_territory[d.project.territory_id]
        return Comment(
            deliverable=d,
            question_id=rng.choice(question_ids[d.kind]),
            parent=parent,
            version=version_of[d.pk],
            author_id=author,
            body="Un commentaire de relecture.",
            resolved_at=now if parent is None and rng.random() < 0.4 else None,
        )

    roots = _bulk(
        Comment,
        [comment(hot) for _ in range(HOT_COMMENTS * 2 // 3)]
        + [comment(rng.choice(commented)) for _ in range((total_comments - HOT_COMMENTS) * 2 // 3)],
    )
    hot_roots = [c for c in roots if c.deliverable_id == hot.pk]
    replies = [comment(hot, parent=rng.choice(hot_roots)) for _ in range(HOT_COMMENTS - len(hot_roots))]
    others = rng.sample(roots, total_comments - len(roots) - len(replies))
    replies += [comment(c.deliverable, parent=c) for c in others]
    _bulk(Comment, replies)

    project_type = ContentType.objects.get_for_model(Project)
    _bulk(
        AuditEntry,
        [
            AuditEntry(
                actor_id=p.lead_id,
                action=action,
                target_type=project_type,
                target_id=str(p.pk),
                target_repr=p.title[:255],
                data={},
            )
            for p in projects
            for action in (
                "project.create",
                "project.update",
                "project.assign",
                "project.update",
                "project.update",
            )
        ],
    )

    # The autosave writes on notes being written of projects led by one agent, one question per thread.
    writer = agents[0]
    drafts = [d for d in deliverables if d.status == D and d.project.lead_id == writer.pk]
    return {
        "admin": admin,
        "facilitator": User.objects.get(pk=by_territory[hot.project.territory_id]),
        "lead": User.objects.get(pk=hot.project.lead_id),
        "writer": writer,
        "hot_project": hot.project_id,
        "drafts": [(d.project_id, d.kind, question_ids[d.kind]) for d in drafts],
        "counts": {
            "territoires": Territory.objects.count(),
            "projets": Project.objects.count(),
            "livrables": Deliverable.objects.count(),
            "livrables soumis": Deliverable.objects.filter(status=S).count(),
            "commentaires": Comment.objects.count(),
        },
    }


# --- The load driver -----------------------------------------------------------------------------------


class Session:
    """One client: a keep-alive connection and its cookies, signed in with its own session."""

    def __init__(self, port, cookies):
        self.port = port
        self.cookies = dict(cookies)
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def request(self, method, path, body=None, headers=None):
        headers = {"Host": "127.0.0.1", **(headers or {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in (1, 2):
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                content = response.read()
                break
            except (http.client.HTTPException, OSError):
                # The server closed the kept-alive connection: open another one, once.
                self.connection.close()
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                if attempt == 2:
                    raise
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, content

    def csrf(self, path):
        """The CSRF token of a page's form (and its cookie)."""
        status, content = self.request("GET", path)
        match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', content)
        assert match, (path, status)
        return match.group(1).decode()


def signed_in(user, port, count):
    """`count` clients, each with a session of its own opened in the database (as a login would)."""
    from django.conf import settings
    from django.test import Client

    sessions = []
    for _ in range(count):
        client = Client()
        client.force_login(user)
        sessions.append(
            Session(port, {settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value})
        )
    return sessions


def run_load(sessions, make_request, seconds):
    """Each thread sends requests one after the other for `seconds`; returns latencies (ms) and errors."""
    latencies, errors = [], []
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def worker(index, session):
        mine, failed, n = [], [], 0
        while time.perf_counter() < deadline:
            method, path, body, headers, expected = make_request(index, n)
            start = time.perf_counter()
            status, _ = session.request(method, path, body, headers)
            mine.append((time.perf_counter() - start) * 1000)
            if status != expected:
                failed.append(status)
            n += 1
        with lock:
            latencies.extend(mine)
            errors.extend(failed)

    threads = [threading.Thread(target=worker, args=(i, s)) for i, s in enumerate(sessions)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, errors, time.perf_counter() - start


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(port, process):
    for _ in range(300):
        if process.poll() is not None:
            raise RuntimeError("gunicorn stopped")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("gunicorn did not start")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--territories", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2, help="Processus gunicorn.")
    parser.add_argument("--threads", type=int, default=8, help="Clients simultanés.")
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--serve", nargs=2, type=int, metavar=("PORT", "WORKERS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(*args.serve)
        return 0

    setup_django()
    from django.conf import settings

    with web_settings(), throwaway_database():
        start = time.perf_counter()
        data = generate(args.territories)
        counts = ", ".join(f"{label} {n:,}".replace(",", " ") for label, n in data["counts"].items())
        print(f"Données : {counts} — insérées en {time.perf_counter() - start:.0f} s.", flush=True)

        database = settings.DATABASES["default"]["NAME"]
        url = urlsplit(os.environ["DATABASE_URL"])._replace(path=f"/{database}").geturl()
        port = _free_port()
        env = {**os.environ, "DATABASE_URL": url, "DB_CONN_MAX_AGE": "600", "LOG_LEVEL": "WARNING"}
        server = subprocess.Popen(  # noqa: S603 - this script, as the server
            [sys.executable, str(Path(__file__).resolve()), "--serve", str(port), str(args.workers)], env=env
        )
        try:
            _wait_for(port, server)
            print(
                f"gunicorn {args.workers} workers sync sur 127.0.0.1:{port}, "
                f"{args.threads} clients simultanés, {args.seconds:.0f} s par scénario "
                f"({os.cpu_count()} processeurs).\n",
                flush=True,
            )
            report(data, port, args)
        finally:
            server.terminate()
            server.wait(timeout=30)
    return 0


def report(data, port, args):
    from django.urls import reverse

    def clients(user):
        return signed_in(user, port, args.threads)

    project_page = reverse("projects:detail", args=[data["hot_project"]])
    queue = reverse("projects:review_queue")
    lead = clients(data["lead"])
    scenarios = [
        ("vue Django nue (référence)", lead, lambda i, n: ("GET", "/bench/bare/", None, {}, 200)),
        ("page projet (500 commentaires)", lead, lambda i, n: ("GET", project_page, None, {}, 200)),
        (
            "file de relecture (accompagnatrice)",
            clients(data["facilitator"]),
            lambda i, n: ("GET", queue, None, {}, 200),
        ),
        (
            "file de relecture (admin, 6 000 soumis)",
            clients(data["admin"]),
            lambda i, n: ("GET", queue, None, {}, 200),
        ),
    ]

    writers = clients(data["writer"])
    targets = []
    for project_pk, kind, questions in data["drafts"]:
        targets += [(project_pk, kind, number) for number in range(1, len(questions) + 1)]
    assert len(targets) >= args.threads, "not enough questions for one autosave thread each"
    tokens = [
        s.csrf(reverse("projects:deliverable", args=[targets[i][0], targets[i][1]]))
        for i, s in enumerate(writers)
    ]

    def autosave(i, n):
        project_pk, kind, number = targets[i]
        path = reverse("projects:answer_save", args=[project_pk, kind, number])
        body = urlencode({"text": f"Réponse enregistrée automatiquement, frappe n°{n}.", "version": n})
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "X-CSRFToken": tokens[i],
            "HX-Request": "true",
            "Referer": f"http://127.0.0.1{path}",
        }
        return "POST", path, body, headers, 200

    scenarios.append(("sauvegarde automatique (POST htmx)", writers, autosave))

    header = f"{'scénario':<42} {'p50':>9} {'p95':>9} {'req/s':>8} {'× nue p50':>10} {'erreurs':>8}"
    print(header)
    print("-" * len(header))
    bare = None
    results = {}
    for label, sessions, make in scenarios:
        if make is not autosave:  # warm-up (the autosave's pages were read for their CSRF tokens)
            for session in sessions:
                session.request(*make(0, 0)[:4])
        latencies, errors, elapsed = run_load(sessions, make, args.seconds)
        p50 = statistics.median(latencies)
        p95 = statistics.quantiles(latencies, n=20)[-1]
        throughput = len(latencies) / elapsed
        bare = bare or (p50, throughput)
        results[label] = {"p50_ms": p50, "p95_ms": p95, "rps": throughput, "errors": len(errors)}
        print(
            f"{label:<42} {p50:>6.1f} ms {p95:>6.1f} ms {throughput:>8.1f} {p50 / bare[0]:>9.1f}× "
            f"{len(errors):>8}",
            flush=True,
        )
    print("\n" + json.dumps(results, ensure_ascii=False))


if __name__ == "__main__":
    sys.exit(main())
