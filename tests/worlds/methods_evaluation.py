"""The evaluation tool's objects in the test world (methods/urls_evaluation.py says who reaches what).

- world.evaluation: a session of the pilot's project, still in its individual ratings; the agent, the DGS and
  the facilitator take part, the agent has rated two dimensions. The élu reads the project but takes no part.
- world.territory_evaluation: a session of the territory, in deliberation; the agent, the DGS, the élu and the
  facilitator take part, the agent and the élu rated, one dimension has its agreed rating.
- world.other_evaluation: a session of the other territory's project, the outsider's."""

import datetime

from methods.access import get_scope_for_user
from methods.services import evaluation as services


def build(world):
    users = world.users
    evaluation = services.session_open(
        actor=users["agent"],
        scope=get_scope_for_user(users["agent"], project_pk=world.project.pk),
        title="Bilan de la première année",
        held_on=datetime.date(2025, 6, 12),
        participants=[users["agent"], users["dgs"], users["facilitator"]],
    )
    dimensions = list(evaluation.dimensions.all())
    services.ratings_save(
        actor=users["agent"],
        session=evaluation,
        rows=[
            {"dimension": dimensions[0], "score": 1, "comment": "Des économies de déplacements."},
            {
                "dimension": dimensions[5],
                "score": 2,
                "comment": "Le groupe des agents s'est emparé de l'exercice.",
            },
        ],
    )
    world.evaluation = evaluation
    world.evaluation_dimensions = dimensions

    territory_evaluation = services.session_open(
        actor=users["facilitator"],
        scope=get_scope_for_user(users["facilitator"], territory_pk=world.territory.pk),
        title="Effets de la coopération sur le territoire",
        held_on=datetime.date(2025, 9, 18),
        participants=[users["agent"], users["dgs"], users["elu"], users["facilitator"]],
    )
    for person, score in ((users["agent"], 2), (users["elu"], 0)):
        services.rating_save(
            actor=person,
            session=territory_evaluation,
            dimension=dimensions[5],
            score=score,
            comment="",
            for_whom="Les agents des cinq communautés de communes",
            evidence="",
        )
    services.session_start_deliberation(actor=users["facilitator"], session=territory_evaluation)
    services.agreement_save(
        actor=users["facilitator"],
        session=territory_evaluation,
        dimension=dimensions[5],
        score=1,
        synthesis="La coopération progresse chez les agents.",
        disagreements="Les élus n'en voient pas encore les effets.",
    )
    world.territory_evaluation = territory_evaluation

    world.other_evaluation = services.session_open(
        actor=users["outsider"],
        scope=get_scope_for_user(users["outsider"], project_pk=world.other_project.pk),
        title="Évaluation d'un autre territoire",
        held_on=datetime.date(2025, 5, 2),
        participants=[users["outsider"]],
    )
