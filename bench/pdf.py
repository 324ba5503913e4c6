"""Benchmark of the PDF documents: render time and peak memory of a note and of a long project's dossier,
and the throughput of one worker over 100 dossiers, beside a one-page WeasyPrint document as the floor.

    python -m fabrique.devdb -- python bench/pdf.py [--dossiers 100] [--repeat 5]

`--dossiers 0` leaves out the throughput run. Each render is timed in wall time and in CPU time of this
process (`time.process_time()`, the figure to compare on a shared machine: median of `--repeat` renders
after a first one that loads the fonts).

A throwaway database (its own name) gets the demo data (`seed_demo`), then a long project: 30 stakeholders,
20 objectives, 40 steps with a roles matrix, means, and every answer written. Render times are measured on
`documents.rendering.render_pdf` (the worker's own call); peak memory is Python's (tracemalloc) for one
render plus the process's resident high-water mark. The throughput run requests 100 distinct dossiers through
`documents.services` and times their rendering by `documents.tasks.render_document`: by a real Celery worker
(a `celery worker --pool solo` subprocess on the same database) when REDIS_URL is set, in process otherwise.
Not part of the test suite.
"""

import argparse
import io
import os
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from datetime import date, timedelta
from urllib.parse import quote

from common import ROOT, setup_django, throwaway_database, web_settings

setup_django()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from accounts.models import User  # noqa: E402
from documents import rendering, services  # noqa: E402
from documents.models import Document, DocumentStatus, Variant  # noqa: E402
from documents.tasks import render_document  # noqa: E402
from projects import services as project_services  # noqa: E402
from projects.models import (  # noqa: E402
    DeliverableKind,
    Means,
    MeansKind,
    MeansOrigin,
    Objective,
    ObjectiveKind,
    Responsibility,
    Stakeholder,
    Step,
)
from territories.models import Territory  # noqa: E402

PARAGRAPH = (
    "Le Pôle territorial réunit cinq communautés de communes autour d'un protocole entre pairs : "
    "les agents, les DGS et les élus qualifient leurs points de vue, révèlent leurs besoins et "
    "formulent des propositions. "
)
FLOOR_HTML = (
    "<html lang='fr'><head><title>Plancher</title></head><body><h1>Une page</h1><p>Texte.</p></body></html>"
)


def _answer_all(actor, deliverable):
    for question in deliverable.question_set.questions.all():
        project_services.answer_save(
            actor=actor, deliverable=deliverable, question=question, text=PARAGRAPH * 4, base_version=0
        )


def long_project(territory, agent, facilitator, title):
    """A project with every deliverable validated and every structured part long."""
    project = project_services.project_create(actor=agent, territory=territory, title=title)
    project.facilitators.add(facilitator)
    intention = project.deliverables.get()
    _answer_all(agent, intention)
    project_services.deliverable_submit(actor=agent, deliverable=intention)
    project_services.deliverable_validate(actor=facilitator, deliverable=intention)
    cadrage = project.deliverables.get(kind=DeliverableKind.CADRAGE)
    _answer_all(agent, cadrage)
    families = ["elu", "agent", "citoyen", "socio_eco"]
    people = Stakeholder.objects.bulk_create(
        Stakeholder(
            deliverable=cadrage,
            name=f"Partie prenante {i}",
            organisation=f"Organisation {i}",
            family=families[i % 4],
            position=i,
        )
        for i in range(30)
    )
    Objective.objects.bulk_create(
        Objective(
            deliverable=cadrage,
            kind=ObjectiveKind.QUANTITATIVE,
            title=f"Objectif {i}",
            indicator="Agents",
            baseline=i,
            target=i * 10 + 5,
            unit="personnes",
            due_date=date(2028, 1 + i % 12, 1),
            position=i,
        )
        for i in range(20)
    )
    project_services.deliverable_submit(actor=agent, deliverable=cadrage)
    project_services.deliverable_validate(actor=facilitator, deliverable=cadrage)
    faisabilite = project.deliverables.get(kind=DeliverableKind.FAISABILITE)
    _answer_all(agent, faisabilite)
    start = date(2027, 1, 4)
    steps = Step.objects.bulk_create(
        Step(
            deliverable=faisabilite,
            title=f"Étape {i}",
            start=start + timedelta(weeks=i),
            end=start + timedelta(weeks=i + 3),
            outputs="Compte-rendu partagé",
            position=i,
        )
        for i in range(40)
    )
    Responsibility.objects.bulk_create(
        Responsibility(step=step, stakeholder=people[(i + k) % 30], level="RCI"[k])
        for i, step in enumerate(steps)
        for k in range(3)
    )
    Means.objects.bulk_create(
        Means(
            deliverable=faisabilite,
            origin=origin,
            kind=kind,
            description=f"Moyen {origin} {kind}",
            fte=1 if kind == MeansKind.HUMAN else None,
            amount=15000 if kind == MeansKind.FINANCIAL else None,
            funder="ADEME" if origin == MeansOrigin.EXTERNAL else "",
        )
        for origin in MeansOrigin
        for kind in MeansKind
    )
    project_services.deliverable_submit(actor=agent, deliverable=faisabilite)
    return project


def timed_renders(html, repeat):
    """Wall time (median, max) and CPU time (median) of `repeat` renders after a first one that loads the
    fonts, the page count and Python's peak memory of one more render."""
    rendering.render_pdf(html, variant=Variant.ACCESSIBLE, identifier="bench")
    times, cpu, pages = [], [], 0
    for _ in range(repeat):
        started = time.process_time()
        rendered = rendering.render_pdf(html, variant=Variant.ACCESSIBLE, identifier="bench")
        cpu.append((time.process_time() - started) * 1000)
        times.append(rendered.render_ms)
        pages = rendered.page_count
    tracemalloc.start()
    rendering.render_pdf(html, variant=Variant.ACCESSIBLE, identifier="bench")
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return statistics.median(times), max(times), statistics.median(cpu), pages, peak / 2**20


def throughput(project_ids, actor):
    """Render the dossiers of these projects: returns (seconds, mode)."""
    from fabrique.celery import app
    from projects.models import Project

    app.conf.task_always_eager = False
    with transaction.atomic():
        documents = []
        for project in Project.objects.filter(pk__in=project_ids).select_related("territory"):
            documents.append(services.document_request_dossier(actor=actor, project=project))
        ids = [d.pk for d in documents]
        # Handed to the worker below, all at once, rather than one by one as they were requested.
        transaction.get_connection().run_on_commit.clear()
    redis_url = os.environ.get("REDIS_URL")
    started = time.monotonic()
    if redis_url:
        database = settings.DATABASES["default"]
        host = quote(database["HOST"] or "", safe="")
        env = {
            **os.environ,
            "DATABASE_URL": f"postgres://{database['USER']}@{host}:{database['PORT']}/{database['NAME']}",
        }
        worker = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "fabrique",
                "worker",
                "--pool",
                "solo",
                "-l",
                "WARNING",
                "-Q",
                "bench-pdf",
            ],
            cwd=ROOT,
            env=env,
        )
        try:
            for document_id in ids:
                render_document.apply_async(args=[document_id], queue="bench-pdf")
            while Document.objects.filter(pk__in=ids, status__in=["pending", "running"]).exists():
                time.sleep(0.2)
        finally:
            worker.terminate()
            worker.wait(30)
        mode = "worker Celery (--pool solo), Redis"
    else:
        for document_id in ids:
            render_document.apply(args=[document_id])
        mode = "en processus (sans broker)"
    elapsed = time.monotonic() - started
    failed = Document.objects.filter(pk__in=ids).exclude(status=DocumentStatus.READY).count()
    if failed:
        raise SystemExit(f"{failed} dossiers not rendered")
    return elapsed, mode


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dossiers", type=int, default=100, help="0: no throughput run")
    parser.add_argument("--repeat", type=int, default=5)
    options = parser.parse_args()
    with web_settings(), throwaway_database():
        call_command("seed_demo", allow_production=True, stdout=io.StringIO())
        territory = Territory.objects.get(is_pilot=True, name__icontains="Pôle")
        agent = User.objects.get(email="agent@demo.fabrique.test")
        facilitator = User.objects.get(email="facilitatrice@demo.fabrique.test")
        with transaction.atomic():
            project = long_project(territory, agent, facilitator, "Projet long de référence")
            transaction.get_connection().run_on_commit.clear()
        from documents.rendering import dossier_html, dossier_notes, note_html

        cadrage = project.deliverables.get(kind=DeliverableKind.CADRAGE)
        rows = [
            ("plancher : une page WeasyPrint", FLOOR_HTML),
            (
                "note de cadrage (version validée)",
                note_html(
                    deliverable=cadrage,
                    content=cadrage.versions.first().content,
                    version=cadrage.versions.first(),
                    is_draft=False,
                ),
            ),
            ("dossier complet (projet long)", dossier_html(project=project, notes=dossier_notes(project))),
        ]
        print(f"{'document':<36} {'médiane':>9} {'max':>9} {'CPU':>9} {'pages':>6} {'pic Python':>11}")
        for label, html in rows:
            median, worst, cpu, pages, peak = timed_renders(html, options.repeat)
            print(
                f"{label:<36} {median:>6.0f} ms {worst:>6.0f} ms {cpu:>6.0f} ms {pages:>6} {peak:>7.1f} MiB",
                flush=True,
            )
        print(
            f"RSS maximal du processus : {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB"
        )

        if not options.dossiers:
            connection.close()
            return
        with transaction.atomic():
            ids = [
                long_project(territory, agent, facilitator, f"Projet long {i}").pk
                for i in range(options.dossiers)
            ]
            transaction.get_connection().run_on_commit.clear()
        elapsed, mode = throughput(ids, agent)
        print(
            f"Débit d'un worker ({mode}) : {options.dossiers} dossiers en {elapsed:.1f} s, "
            f"soit {options.dossiers / elapsed:.2f} dossiers/s "
            f"({elapsed / options.dossiers * 1000:.0f} ms chacun)"
        )
    connection.close()


if __name__ == "__main__":
    main()
