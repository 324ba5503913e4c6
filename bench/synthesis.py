"""Benchmark of the territory's synthesis (« Bilan du territoire »): the cost of building its HTML and of
rendering it as PDF/UA and as ODT, with the documents' sizes, for the demo pilot territory and for a large
generated one (50 projects, 200 récits, 20 closed evaluations, with trainings, effects and assessments).

    python -m fabrique.devdb -- python bench/synthesis.py [--repeat 3] [--year 2026]

A throwaway database (its own name) gets the demo data (`seed_demo`) and the generated territory. Times are
the process's CPU time (`time.process_time()`, the machine is shared): the HTML and its statements as the
request builds it (`reports.services.synthesis_html` over `reports.selectors.synthesis_data`), then the
worker's own calls, `documents.rendering.render_pdf` and `documents.office.render_odt`. Medians over
`--repeat` runs. Not part of the test suite.
"""

import argparse
import datetime
import io
import statistics
import time

from common import setup_django, throwaway_database, web_settings

setup_django()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import User  # noqa: E402
from documents import office, rendering  # noqa: E402
from documents.models import Variant  # noqa: E402
from methods.models import (  # noqa: E402
    Agreement,
    EvaluationSession,
    EvaluationStatus,
    JournalEntry,
    JournalPrompt,
    JournalVisibility,
    ValueDimension,
)
from projects import services as project_services  # noqa: E402
from projects.models import DeliverableKind  # noqa: E402
from reports.access import reader_of  # noqa: E402
from reports.selectors import SECTION_KEYS, Period, synthesis_data  # noqa: E402
from reports.services import synthesis_html  # noqa: E402
from territories import services as territory_services  # noqa: E402
from territories.models import Milestone, MilestoneKind, TeamMember, TeamRole, Territory  # noqa: E402
from trainings.models import AwarenessEvent, Effect, Polarity, TrainingCycle  # noqa: E402

TEXT = (
    "Les agents des cinq communautés de communes ont croisé leurs points de vue avec les DGS ; "
    "la proposition commune a été portée devant le comité syndical. "
)


def _answer_all(actor, deliverable):
    for question in deliverable.question_set.questions.all():
        project_services.answer_save(
            actor=actor, deliverable=deliverable, question=question, text=TEXT * 3, base_version=0
        )


def large_territory(agent, facilitator, year: int) -> Territory:
    """A pilot with 50 projects (a third validated up to the cadrage, a third submitted), 200 récits of the
    year, 20 evaluations closed in the year, a trajectory, two assessments, trainings and effects."""
    template = Territory.objects.filter(is_pilot=True).first()
    territory = Territory.objects.create(
        name="Grand territoire généré",
        kind=template.kind,
        epci=template.epci,
        commune=template.commune,
        department=template.department,
        region=template.region,
        grouping_kind=template.grouping_kind,
        is_pilot=True,
        is_published=True,
    )
    TeamMember.objects.create(territory=territory, user=agent, role=TeamRole.AGENT, is_manager=True)
    territory.facilitators.add(facilitator)
    for index, start in enumerate(range(2007, year + 1, 2)):
        Milestone.objects.create(
            territory=territory,
            kind=list(MilestoneKind)[index % len(MilestoneKind)],
            title=f"Étape {index + 1} de la trajectoire",
            start_year=start,
            end_year=start + 1,
        )
    for months_ago in (0, 12):
        territory_services.assessment_record(
            actor=agent,
            territory=territory,
            date=datetime.date(year - months_ago // 12, 6, 1),
            scores={
                f: {"level": 1 + (f + months_ago) % 4, "evidence": TEXT, "comment": TEXT}
                for f in (1, 2, 3, 4)
            },
        )
    for number in range(50):
        project = project_services.project_create(
            actor=agent, territory=territory, title=f"Projet {number + 1} du grand territoire", summary=TEXT
        )
        intention = project.deliverables.get(kind=DeliverableKind.INTENTION)
        if number % 3 == 2:
            continue
        _answer_all(agent, intention)
        project_services.deliverable_submit(actor=agent, deliverable=intention)
        if number % 3 == 0:
            project_services.deliverable_validate(actor=facilitator, deliverable=intention)
            cadrage = project.deliverables.get(kind=DeliverableKind.CADRAGE)
            _answer_all(agent, cadrage)
            project_services.deliverable_submit(actor=agent, deliverable=cadrage)
            project_services.deliverable_validate(actor=facilitator, deliverable=cadrage)
    JournalEntry.objects.bulk_create(
        JournalEntry(
            territory=territory,
            happened_on=datetime.date(year, 1 + n % 12, 1 + n % 28),
            prompt=list(JournalPrompt)[n % len(JournalPrompt)],
            title=f"Récit {n + 1} de la coopération",
            body=(TEXT * 4 + "\n\n- un point\n- un autre point\n"),
            visibility=JournalVisibility.SHARED if n % 2 else JournalVisibility.TEAM,
            author=agent,
        )
        for n in range(200)
    )
    dimensions = list(ValueDimension.objects.filter(is_active=True))
    closed = timezone.make_aware(datetime.datetime(year, 6, 15, 12))
    for n in range(20):
        session = EvaluationSession.objects.create(
            territory=territory,
            title=f"Délibération {n + 1} sur la valeur créée",
            held_on=datetime.date(year, 5, 1 + n),
            status=EvaluationStatus.CLOSED,
            created_by=agent,
            closed_at=closed,
        )
        session.participants.set([agent, facilitator])
        session.dimensions.set(dimensions)
        Agreement.objects.bulk_create(
            Agreement(
                session=session,
                dimension=d,
                score=(n + i) % 5 - 2,
                synthesis=TEXT,
                disagreements="",
                updated_by=facilitator,
            )
            for i, d in enumerate(dimensions)
        )
    for n in range(6):
        TrainingCycle.objects.create(
            territory=territory,
            title=f"Cycle {n + 1}",
            audience="Encadrant·es",
            days=5,
            start_date=datetime.date(year, 1 + n, 1),
            end_date=datetime.date(year, 2 + n, 28),
        )
        AwarenessEvent.objects.create(
            territory=territory, title=f"Sensibilisation {n + 1}", date=datetime.date(year, 3, 1 + n),
            audience="Élu·es", attendees=40 + n,
        )  # fmt: skip
    Effect.objects.bulk_create(
        Effect(
            territory=territory,
            polarity=Polarity.POSITIVE if n % 3 else Polarity.NEGATIVE,
            description=TEXT,
            observed_on=datetime.date(year, 1 + n % 12, 10),
            observed_by="Comité de pilotage",
        )
        for n in range(40)
    )
    return territory


def measure(territory, reader_user, period, repeat):
    reader = reader_of(reader_user, territory)
    html_cpu, pdf_cpu, odt_cpu = [], [], []
    for _ in range(repeat):
        connection.queries_log.clear()
        started = time.process_time()
        with CaptureQueriesContext(connection) as queries:
            data = synthesis_data(
                territory=territory, period=period, sections=SECTION_KEYS, reader=reader, public=False
            )
            html = synthesis_html(data)
        html_cpu.append(time.process_time() - started)
        started = time.process_time()
        pdf = rendering.render_pdf(html, variant=Variant.ACCESSIBLE, identifier="bench")
        pdf_cpu.append(time.process_time() - started)
        started = time.process_time()
        odt = office.render_odt(html)
        odt_cpu.append(time.process_time() - started)
    return {
        "queries": len(queries),
        "html_kib": len(html.encode()) / 1024,
        "html_ms": statistics.median(html_cpu) * 1000,
        "pdf_ms": statistics.median(pdf_cpu) * 1000,
        "pdf_kib": len(pdf.data) / 1024,
        "pages": pdf.page_count,
        "odt_ms": statistics.median(odt_cpu) * 1000,
        "odt_kib": len(odt.data) / 1024,
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--year", type=int, default=timezone.localdate().year)
    options = parser.parse_args()
    period = Period.year(options.year)
    with web_settings(), throwaway_database():
        call_command("seed_demo", allow_production=True, stdout=io.StringIO())
        demo = Territory.objects.get(is_pilot=True, name__icontains="Pôle")
        agent = User.objects.get(email="agent@demo.fabrique.test")
        facilitator = User.objects.get(email="facilitatrice@demo.fabrique.test")
        with transaction.atomic():
            large = large_territory(agent, facilitator, options.year)
            transaction.get_connection().run_on_commit.clear()
        print(
            f"Bilan {period.label}, toutes les parties, lu par l'agent qui gère le territoire ; "
            f"médianes sur {options.repeat} rendus, temps CPU du processus."
        )
        header = (
            f"{'territoire':<34} {'requêtes':>8} {'HTML':>9} {'CPU HTML':>9} "
            f"{'CPU PDF':>9} {'PDF':>9} {'pages':>6} {'CPU ODT':>9} {'ODT':>9}"
        )
        print(header)
        for label, territory in (
            ("démo : Pôle territorial (pilote)", demo),
            ("généré : 50 projets, 200 récits", large),
        ):
            m = measure(territory, agent, period, options.repeat)
            print(
                f"{label:<34} {m['queries']:>8} {m['html_kib']:>5.0f} KiB {m['html_ms']:>6.0f} ms "
                f"{m['pdf_ms']:>6.0f} ms {m['pdf_kib']:>5.0f} KiB {m['pages']:>6} {m['odt_ms']:>6.0f} ms "
                f"{m['odt_kib']:>5.0f} KiB",
                flush=True,
            )
    connection.close()


if __name__ == "__main__":
    main()
