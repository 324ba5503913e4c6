"""Demo data of the Tarn pilot's trainings and effects (DOMAIN.md §3), used by `seed_demo` after the
territories: the 5-day cycle on management by cooperation with the CNFPT for 40 managers of the five
communautés de communes, the awareness sessions (70 élu·es and agents) and the "+ / −" table of effects.

The presentation gives the figures, not the dates, the trainees' names nor the themes of each day: the
cycle is placed between the 2021 accompaniment and the 2023 self-assessment that already counts it, the
trainees are fictitious, and the days follow the method's fundamentals.
"""

from datetime import date

from django.db import transaction

from territories.demo import PILOT_NAME
from territories.models import Territory

from . import services
from .models import AwarenessEvent, Effect, Polarity, TrainingCycle

CYCLE = {
    "title": "Le management des organisations par la coopération",
    "partner": "CNFPT",
    "audience": "Les managers des cinq communautés de communes du Pôle",
    "days": 5,
    "start_date": date(2022, 9, 1),
    "end_date": date(2023, 1, 31),
    "description": (
        "Un cycle de formation territoriale de cinq jours, construit avec le CNFPT, pour les 40 managers des "
        "cinq communautés de communes : approche systémique, transversalité, coopération entre services et "
        "entre EPCI."
    ),
}
SESSIONS = [
    (date(2022, 9, 22), "L'approche systémique des transitions"),
    (date(2022, 10, 13), "Coopérer entre services et entre EPCI"),
    (date(2022, 11, 17), "Mettre les conflits au travail"),
    (date(2022, 12, 15), "Le mode projet collectif"),
    (date(2023, 1, 19), "Évaluer les effets et la valeur créée"),
]
COMMUNITIES = [
    "CC Carmausin-Ségala",
    "CC Centre Tarn",
    "CC du Cordais et du Causse",
    "CC Val 81",
    "CC des Monts d'Alban et du Villefranchois",
]
FIRST_NAMES = ["Claire", "Julien", "Nadia", "Pierre", "Sophie", "Karim", "Anne", "Thomas"]
LAST_NAMES = ["Martin", "Bonnet", "Roques", "Cabrol", "Fabre", "Lacombe", "Vidal", "Séguier"]
FUNCTIONS = [
    "Directeur·ice des services techniques",
    "Responsable des ressources humaines",
    "Responsable du service enfance-jeunesse",
    "Chargé·e de mission PCAET",
    "Responsable du service urbanisme",
    "Responsable des finances",
    "Chef·fe de projet Petites Villes de Demain",
    "Responsable du service environnement",
]

AWARENESS = {
    "title": "Sensibilisation à la coopération et à l'approche systémique",
    "date": date(2022, 6, 14),
    "audience": "Élu·es et agents des cinq communautés de communes",
    "attendees": 70,
    "partner": "La Fabrique des Transitions",
    "description": (
        "Des sessions ouvertes aux élu·es et aux agents, avant le lancement du protocole entre pairs."
    ),
}

INITIATIVE = "Management des organisations par la coopération"
OBSERVER = "L'accompagnement de La Fabrique des Transitions"
# polarity, observed on, description: the table of DOMAIN.md §3.
EFFECTS = [
    (Polarity.POSITIVE, date(2022, 11, 30), "Le groupe des agents s'est approprié l'exercice."),
    (Polarity.NEGATIVE, date(2022, 11, 30), "Le groupe des DGS n'a jamais vraiment « pris »."),
    (Polarity.POSITIVE, date(2023, 2, 8), "Un argumentaire partagé et détaillé des agents."),
    (Polarity.NEGATIVE, date(2023, 2, 8), "Pas de vision partagée des élu·es ni des DGS."),
]


def _trainees(users):
    """40 managers, 8 per communauté de communes; the demo DGS is one of them, with her account."""
    people = [{"name": users["dgs"].get_full_name(), "organisation": COMMUNITIES[0], "user": users["dgs"]}]
    for index in range(1, 40):
        people.append(
            {
                "name": f"{FIRST_NAMES[index % 8]} {LAST_NAMES[(index // 8 + index) % 8]}",
                "organisation": COMMUNITIES[index // 8],
                "function": FUNCTIONS[index % 8],
            }
        )
    return people


def _was_present(index: int, day: int) -> bool:
    # A few absences spread over the days, always the same ones.
    return (index * 7 + day * 3) % 13 != 0


def seed_trainings(*, users):
    """Idempotent: each part is created only when missing. `users` are seed_demo's accounts by the local
    part of their e-mail (agent, dgs, elu, facilitatrice)."""
    territory = Territory.objects.filter(name=PILOT_NAME).first()
    if territory is None:
        return None
    agent, facilitator = users["agent"], users["facilitatrice"]
    with transaction.atomic():
        cycle = TrainingCycle.objects.filter(territory=territory, title=CYCLE["title"]).first()
        if cycle is None:
            cycle = services.cycle_create(actor=agent, territory=territory, **CYCLE)
        planned = set(cycle.sessions.values_list("date", flat=True))
        for day, topic in SESSIONS:
            if day not in planned:
                services.session_add(actor=agent, cycle=cycle, date=day, topic=topic)
        if not cycle.participants.exists():
            services.participants_register(actor=agent, cycle=cycle, people=_trainees(users))
        participants = list(cycle.participants.order_by("pk"))
        for day, session in enumerate(cycle.sessions.order_by("date")):
            if session.attendance_taken_at is None:
                present = [p.pk for index, p in enumerate(participants) if _was_present(index, day)]
                services.attendance_record(actor=agent, session=session, present_ids=present)
        if not AwarenessEvent.objects.filter(territory=territory, title=AWARENESS["title"]).exists():
            services.awareness_record(actor=agent, territory=territory, **AWARENESS)
        for polarity, observed_on, description in EFFECTS:
            if not Effect.objects.filter(territory=territory, description=description).exists():
                services.effect_record(
                    actor=facilitator,
                    territory=territory,
                    polarity=polarity,
                    description=description,
                    initiative=INITIATIVE,
                    observed_on=observed_on,
                    observed_by=OBSERVER,
                )
    return territory
