"""The trainings app's part of the test world: a cycle of the pilot territory with one session whose
attendance is taken, one registered participant, an awareness event and an effect."""

import datetime

from trainings import services
from trainings.models import Polarity


def build(world):
    agent = world.users["agent"]
    cycle = services.cycle_create(
        actor=agent,
        territory=world.territory,
        title="Le management par la coopération",
        partner="CNFPT",
        audience="Les managers des cinq communautés de communes",
        days=5,
        start_date=datetime.date(2022, 9, 1),
        end_date=datetime.date(2023, 1, 31),
    )
    session = services.session_add(
        actor=agent, cycle=cycle, date=datetime.date(2022, 9, 22), topic="Ouverture"
    )
    (participant,) = services.participants_register(
        actor=agent,
        cycle=cycle,
        people=[{"name": "Claire Martin", "organisation": "CC Val 81", "function": "DGS"}],
    )
    services.attendance_record(actor=agent, session=session, present_ids=[participant.pk])
    world.training_cycle = cycle
    world.training_session = session
    world.training_participant = participant
    world.awareness_event = services.awareness_record(
        actor=agent,
        territory=world.territory,
        title="Sensibilisation à l'approche systémique",
        date=datetime.date(2022, 6, 14),
        audience="Élu·es et agents",
        attendees=70,
    )
    world.effect = services.effect_record(
        actor=world.users["facilitator"],
        territory=world.territory,
        polarity=Polarity.POSITIVE,
        description="Le groupe des agents s'est approprié l'exercice.",
        initiative="Management des organisations par la coopération",
        observed_on=datetime.date(2022, 11, 1),
        observed_by="Fanny Accompagnatrice",
    )
