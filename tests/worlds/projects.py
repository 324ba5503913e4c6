"""The pilot's project, at the interesting point of its life: the note d'intention validated, the note de
cadrage submitted with a comment thread, the note de faisabilité not yet open; and a project of the other
territory (the outsider's)."""

from projects import services
from projects.models import (
    DeliverableKind,
    Means,
    MeansKind,
    MeansOrigin,
    Objective,
    ObjectiveKind,
    Stakeholder,
    Step,
)


def answer_all(actor, deliverable, text="Réponse de l'équipe."):
    for question in deliverable.question_set.questions.all():
        services.answer_save(
            actor=actor, deliverable=deliverable, question=question, text=text, base_version=0
        )


def build(world):
    users = world.users
    project = services.project_create(
        actor=users["agent"],
        territory=world.territory,
        title="Management des organisations par la coopération",
        summary="Un protocole entre pairs pour coopérer entre agents, DGS et élus.",
        members=[users["dgs"]],
        recommendations=[world.recommendation],
    )
    intention = project.deliverables.get(kind=DeliverableKind.INTENTION)
    answer_all(users["agent"], intention)
    services.deliverable_submit(actor=users["agent"], deliverable=intention)
    services.deliverable_validate(actor=users["facilitator"], deliverable=intention, message="Bravo.")
    cadrage = project.deliverables.get(kind=DeliverableKind.CADRAGE)
    answer_all(users["dgs"], cadrage)
    Stakeholder.objects.create(deliverable=cadrage, name="Groupe des agents", family="agent")
    Objective.objects.create(deliverable=cadrage, kind=ObjectiveKind.QUALITATIVE, title="Coopérer")
    services.deliverable_submit(actor=users["agent"], deliverable=cadrage)
    comment = services.comment_add(
        actor=users["facilitator"],
        deliverable=cadrage,
        question=cadrage.question_set.questions.get(number=1),
        body="Et les élus ?",
    )
    world.project = project
    world.intention = intention
    world.cadrage = cadrage
    world.comment = comment
    world.answer = cadrage.answers.get(question__number=1)
    world.answer_revision = world.answer.revisions.first()
    world.stakeholder = cadrage.stakeholders.get()
    world.objective = cadrage.objectives.get()
    world.other_project = services.project_create(
        actor=users["outsider"], territory=world.other_territory, title="Projet d'un autre territoire"
    )
    _build_draft(world)


def _build_draft(world):
    """A second project of the pilot, further on: its note de faisabilité is the draft being written, so the
    writing views have an editable deliverable (world.draft) with answers, means and a step."""
    users = world.users
    project = services.project_create(
        actor=users["agent"],
        territory=world.territory,
        title="Réseau inter-EPCI des chargés de communication",
        members=[users["dgs"]],
    )
    for kind in (DeliverableKind.INTENTION, DeliverableKind.CADRAGE):
        deliverable = project.deliverables.get(kind=kind)
        answer_all(users["agent"], deliverable)
        if kind == DeliverableKind.CADRAGE:
            Stakeholder.objects.create(
                deliverable=deliverable, name="Chargés de communication", family="agent"
            )
        services.deliverable_submit(actor=users["agent"], deliverable=deliverable)
        services.deliverable_validate(actor=users["facilitator"], deliverable=deliverable)
    draft = project.deliverables.get(kind=DeliverableKind.FAISABILITE)
    question = draft.question_set.questions.get(number=1)
    services.answer_save(
        actor=users["agent"],
        deliverable=draft,
        question=question,
        text="Un agent à mi-temps.",
        base_version=0,
    )
    world.draft_project = project
    world.draft = draft
    world.draft_answer_revision = draft.answers.get(question=question).revisions.first()
    world.means = Means.objects.create(
        deliverable=draft,
        origin=MeansOrigin.INTERNAL,
        kind=MeansKind.HUMAN,
        description="Animation du réseau",
        fte="0.5",
    )
    world.step = Step.objects.create(
        deliverable=draft, title="Première rencontre", start="2026-01-12", end="2026-01-12"
    )
