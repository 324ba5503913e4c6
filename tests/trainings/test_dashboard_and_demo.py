"""The territory's dashboard sums up trainings, awareness and effects; the demo data of the Tarn pilot."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import AuditEntry
from territories.demo import PILOT_NAME
from trainings import services
from trainings.demo import seed_trainings
from trainings.models import Attendance, AwarenessEvent, Effect, Participant, Polarity, TrainingCycle
from trainings.selectors import effects_tables, territory_summary

from ..factories import TerritoryFactory, UserFactory
from .helpers import make_cycle, register, text, url


def _dashboard(world):
    return reverse("territories:dashboard", args=[world.territory.pk])


def test_the_dashboard_shows_the_cycles_counts_the_awareness_and_the_effects(world, client_for):
    register(world.training_cycle, None, ["Julien Bonnet"])
    services.effect_record(
        actor=None,
        territory=world.territory,
        polarity=Polarity.NEGATIVE,
        description="Le groupe des DGS n'a jamais vraiment pris.",
        observed_on=datetime.date(2022, 12, 1),
        observed_by="L'équipe",
    )
    page = text(client_for("facilitator").get(_dashboard(world)))
    assert (
        "Le management par la coopération (CNFPT) : 2 inscrit·es, 5 jours, 1 présent·e par séance en moyenne"
        in page
    )
    assert "70 personnes sensibilisées en 1 session." in page
    assert "+ 1 effet positif" in page and "− 1 effet négatif" in page
    content = client_for("facilitator").get(_dashboard(world)).content.decode()
    assert url("cycle_detail", world.training_cycle.pk) in content
    assert url("effects", world.territory.pk) in content
    assert url("index", world.territory.pk) in content


def test_the_dashboard_of_a_territory_without_trainings_says_so(world, client_for):
    TrainingCycle.objects.all().delete()
    AwarenessEvent.objects.all().delete()
    Effect.objects.all().delete()
    response = client_for("agent").get(_dashboard(world))
    page = text(response)
    assert "Aucun cycle de formation n'est encore enregistré." in page
    assert "Aucune session de sensibilisation n'est encore enregistrée." in page
    summary = response.context["trainings_summary"]
    assert (summary.positive_effects, summary.negative_effects) == (0, 0)


def test_the_dashboard_lists_the_three_latest_cycles_and_counts_them_all(world):
    for month in range(1, 6):
        make_cycle(
            world.territory,
            None,
            days=1,
            title=f"Cycle {month}",
            start=datetime.date(2023, month, 1),
            end=datetime.date(2023, month, 2),
        )
    summary = territory_summary(world.territory)
    assert [cycle.title for cycle in summary.cycles] == ["Cycle 5", "Cycle 4", "Cycle 3"]
    assert summary.cycle_count == 6


def test_the_dashboard_costs_as_many_queries_with_many_trainings_and_effects(
    world, client_for, django_assert_max_num_queries
):
    client = client_for("agent")
    client.get(_dashboard(world))
    with CaptureQueriesContext(connection) as small:
        assert client.get(_dashboard(world)).status_code == 200
    for number in range(8):
        cycle = make_cycle(world.territory, None, days=3, title=f"Cycle {number}")
        people = register(cycle, None, [f"Personne {n}" for n in range(20)])
        session = services.session_add(actor=None, cycle=cycle, date=datetime.date(2022, 10, 1))
        services.attendance_record(actor=None, session=session, present_ids=[p.pk for p in people])
        services.awareness_record(
            actor=None,
            territory=world.territory,
            title=f"Sensibilisation {number}",
            date=datetime.date(2022, 5, 1),
            audience="Élu·es",
            attendees=10,
        )
        services.effect_record(
            actor=None,
            territory=world.territory,
            polarity=Polarity.POSITIVE,
            description=f"Effet {number}",
            observed_on=datetime.date(2022, 5, 1),
            observed_by="L'équipe",
        )
    with django_assert_max_num_queries(len(small)):
        assert client.get(_dashboard(world)).status_code == 200


# --- Demo data ---------------------------------------------------------------------------------------


def _demo_users():
    return {
        key: UserFactory(email=f"{key}@demo.fabrique.test", full_name=name, function=function)
        for key, name, function in [
            ("agent", "Antoine Agent", "Chargé de mission transition"),
            ("dgs", "Dominique DGS", "Directrice générale des services"),
            ("elu", "Élise Élue", "Vice-présidente"),
            ("facilitatrice", "Fanny Accompagnatrice", "Accompagnatrice"),
        ]
    }


def test_the_demo_has_the_cnfpt_cycle_the_awareness_sessions_and_the_effects_table(db):
    territory = TerritoryFactory(name=PILOT_NAME)
    users = _demo_users()
    seed_trainings(users=users)

    cycle = TrainingCycle.objects.get(territory=territory)
    assert (cycle.partner, cycle.days, cycle.sessions.count()) == ("CNFPT", 5, 5)
    participants = cycle.participants.all()
    assert participants.count() == 40
    assert len({p.organisation for p in participants}) == 5
    assert participants.get(user=users["dgs"]).name == "Dominique DGS"
    assert not cycle.sessions.filter(attendance_taken_at__isnull=True).exists()
    assert 35 * 5 <= Attendance.objects.filter(session__cycle=cycle).count() < 40 * 5

    (event,) = AwarenessEvent.objects.filter(territory=territory)
    assert event.attendees == 70 and "Élu·es et agents" in event.audience

    (table,) = effects_tables(territory)
    assert [(plus.description, minus.description) for plus, minus in table.rows] == [
        (
            "Le groupe des agents s'est approprié l'exercice.",
            "Le groupe des DGS n'a jamais vraiment « pris ».",
        ),
        ("Un argumentaire partagé et détaillé des agents.", "Pas de vision partagée des élu·es ni des DGS."),
    ]


def test_the_demo_changes_nothing_when_run_again(db):
    TerritoryFactory(name=PILOT_NAME)
    users = _demo_users()
    seed_trainings(users=users)
    counts = [
        model.objects.count()
        for model in (TrainingCycle, Participant, Attendance, AwarenessEvent, Effect, AuditEntry)
    ]
    seed_trainings(users=users)
    assert [
        model.objects.count()
        for model in (TrainingCycle, Participant, Attendance, AwarenessEvent, Effect, AuditEntry)
    ] == counts


def test_the_demo_does_nothing_without_the_pilot_territory(db):
    assert seed_trainings(users=_demo_users()) is None
    assert not TrainingCycle.objects.exists()
