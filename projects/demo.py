"""Demo data of projects: the Tarn pilot's project "Management des organisations par la coopération"
(DOMAIN.md §3), taken through the workflow by the services, so that its audit trail, versions and answer
histories are real.

Its path: the note d'intention is validated; the note de cadrage v1 is validated, which opens the note de
faisabilité, drafted with some answers, means, steps and the stakeholders × steps roles; the facilitator then
reopens the cadrage (the DGS group never really took, the élu·es are missing from it); the team revises it
and resubmits it (v2, under review) and the facilitator comments on it. Used by `seed_demo`, after
`seed_territories`.
"""

from datetime import date
from decimal import Decimal

from django.db import transaction

from core.models import Theme
from territories.demo import PILOT_NAME
from territories.models import Territory, TerritoryKind

from . import services
from .models import (
    DeliverableKind,
    Involvement,
    Means,
    MeansKind,
    MeansOrigin,
    Objective,
    ObjectiveKind,
    Project,
    ResponsibilityLevel,
    Stakeholder,
    Step,
    SuccessCriterion,
)

TITLE = "Management des organisations par la coopération"
SUMMARY = (
    "Le diagnostic initial a révélé deux visions contradictoires du Pôle : une strate administrative de "
    "plus, ou une échelle cohérente pour mutualiser les moyens, à condition d'être fondée sur la "
    "coopération. Le projet fait travailler ensemble les trois catégories d'acteurs qui détiennent des "
    "clés de la coopération — technicien·nes, DGS et élu·es — par un protocole entre pairs, une formation "
    "des managers avec le CNFPT et des réseaux inter-EPCI."
)
THEMES = ("cooperation-management", "gouvernance")
# Numbers of the diagnostic's recommendations (territories/demo.py) the project answers.
RECOMMENDATIONS = (1, 2, 4)

INTENTION = {
    1: (
        "Un projet de **management des organisations par la coopération** à l'échelle des cinq communautés "
        "de communes du Pôle.\n\n"
        "Thèmes associés : coopération et management, gouvernance, transversalité des équipes techniques."
    ),
    2: (
        "Ce qui se joue, c'est la place du Pôle lui-même. Le diagnostic a révélé deux visions "
        "contradictoires :\n\n"
        "- une strate administrative de plus, qui s'ajoute aux communautés de communes ;\n"
        "- une échelle cohérente pour mutualiser les moyens, à condition d'être fondée sur la "
        "coopération.\n\n"
        "Politiquement, les élu·es doivent pouvoir s'appuyer sur des équipes qui coopèrent ; économiquement, "
        "une ingénierie « subventiono-dépendante » ne tient pas ; socialement, les agents portent la "
        "transition sur le temps long et doivent y trouver du sens."
    ),
    3: (
        "Oui : il répond à la recommandation n°1 (expérimenter un protocole entre pairs), à la "
        "recommandation n°2 (former les managers au management par la coopération avec le CNFPT) et à "
        "la recommandation n°4 (animer des réseaux inter-EPCI entre pairs)."
    ),
    4: (
        "Depuis 2007/2008, le territoire a multiplié les plans (PCET, plateforme rénovation, TEPOS, PAT…) "
        "sans transition globale : des actions sectorielles, des projets qui meurent avec la fin de leur "
        "financement. Le projet s'attaque à la cause : la capacité des organisations à coopérer, condition "
        "d'une conduite de changement systémique."
    ),
}

CADRAGE_V1 = {
    1: (
        "Directes : le groupe des agents, le groupe des DGS et les élu·es du comité syndical. Indirectes : "
        "le conseil de développement et les partenaires de la formation."
    ),
    2: (
        "Former les managers, sensibiliser élu·es et agents, faire émerger une vision partagée du Pôle et "
        "installer des réseaux inter-EPCI qui survivent à la fin de l'accompagnement."
    ),
    3: (
        "- Un portage politique explicite du comité syndical ;\n"
        "- du temps reconnu pour les agents qui participent aux groupes de pairs ;\n"
        "- une animation neutre des espaces entre pairs ;\n"
        "- la formation des managers avant l'élargissement des réseaux."
    ),
    4: "Voir les critères ci-dessous, rattachés aux objectifs.",
    5: (
        "Atouts : un groupe d'agents volontaire, un partenariat avec le CNFPT, l'accompagnement de La "
        "Fabrique des Transitions.\n\n"
        "Freins : une culture de l'appel à projet, des DGS très sollicités, la crainte d'une strate de plus."
    ),
}

# The answers rewritten after the facilitator reopened the cadrage.
CADRAGE_V2 = {
    1: (
        "Directes : le groupe des agents, le groupe des DGS et un groupe d'élu·es référent·es désigné par le "
        "comité syndical, pour préparer la phase d'interpellation tripartite. Indirectes : le conseil de "
        "développement, le CNFPT et les services de l'État."
    ),
    5: (
        "Atouts : le groupe des agents s'est approprié l'exercice et a produit un argumentaire partagé et "
        "détaillé ; le partenariat avec le CNFPT ; l'accompagnement de La Fabrique des Transitions.\n\n"
        "Freins : le groupe des DGS n'a jamais vraiment « pris » ; il n'y a pas encore de vision partagée "
        "des élu·es ni des DGS ; la culture de l'appel à projet reste forte."
    ),
}

# name, organisation, involvement, family
STAKEHOLDERS = [
    ("Groupe des agents", "Équipes techniques des cinq EPCI", Involvement.DIRECT, "agent"),
    ("Groupe des DGS", "Cinq communautés de communes", Involvement.DIRECT, "agent"),
    ("Élu·es du comité syndical", "Pôle Territorial", Involvement.DIRECT, "elu"),
    ("CNFPT", "Délégation régionale Occitanie", Involvement.INDIRECT, "etat"),
    ("Conseil de développement", "Pôle Territorial (40 membres)", Involvement.INDIRECT, "socio_eco"),
]
ELUS_REFERENTS = ("Groupe des élu·es référent·es", "Comité syndical", Involvement.DIRECT, "elu")

# kind, title, indicator, baseline, target, unit, due date
OBJECTIVES = [
    (
        ObjectiveKind.QUANTITATIVE,
        "Former les managers des cinq communautés de communes au management par la coopération",
        "Managers ayant suivi le cycle de cinq jours",
        Decimal("0"),
        Decimal("40"),
        "managers",
        date(2023, 6, 30),
    ),
    (
        ObjectiveKind.QUANTITATIVE,
        "Sensibiliser élu·es et agents à l'approche systémique",
        "Personnes sensibilisées",
        Decimal("0"),
        Decimal("70"),
        "personnes",
        date(2023, 12, 31),
    ),
    (
        ObjectiveKind.QUALITATIVE,
        "Faire émerger une vision partagée du Pôle entre agents, DGS et élu·es",
        "",
        None,
        None,
        "",
        None,
    ),
    (
        ObjectiveKind.QUALITATIVE,
        "Installer des réseaux inter-EPCI entre pairs qui durent au-delà de l'accompagnement",
        "",
        None,
        None,
        "",
        None,
    ),
]
# criterion, indexes of the objectives it measures
CRITERIA = [
    ("Quarante managers ont suivi le cycle de cinq jours avec le CNFPT.", [0]),
    ("Soixante-dix élu·es et agents ont participé à une session de sensibilisation.", [1]),
    ("Une proposition commune des agents et des DGS est portée devant les élu·es.", [2]),
    ("Les réseaux inter-EPCI se réunissent au moins trois fois par an sans financement dédié.", [3]),
]

FAISABILITE = {
    1: (
        "Un chargé de mission du Pôle anime le protocole entre pairs (un mi-temps) ; chaque EPCI libère le "
        "temps de ses agents et prête ses salles."
    ),
    3: (
        "Les groupes de pairs d'abord, puis le croisement des regards et l'interpellation des élu·es ; la "
        "formation des managers et les réseaux inter-EPCI prennent le relais."
    ),
}
# origin, kind, description, FTE, amount, funder
MEANS = [
    (
        MeansOrigin.INTERNAL,
        MeansKind.HUMAN,
        "Animation du protocole entre pairs par le chargé de mission du Pôle",
        Decimal("0.5"),
        None,
        "",
    ),
    (MeansOrigin.INTERNAL, MeansKind.TECHNICAL, "Salles de réunion des cinq EPCI", None, None, ""),
    (
        MeansOrigin.EXTERNAL,
        MeansKind.FINANCIAL,
        "Cycle de formation de cinq jours pour 40 managers",
        None,
        Decimal("12000"),
        "CNFPT",
    ),
    (
        MeansOrigin.EXTERNAL,
        MeansKind.HUMAN,
        "Accompagnement du projet pilote",
        Decimal("0.2"),
        None,
        "La Fabrique des Transitions",
    ),
]
# title, start, end, outputs
STEPS = [
    (
        "Groupes de pairs : l'espace des agents et l'espace des DGS",
        date(2022, 1, 10),
        date(2022, 6, 30),
        "Les points de vue collectifs de chaque groupe, leurs besoins, leurs propositions.",
    ),
    (
        "Croisement des regards agents et DGS",
        date(2022, 9, 5),
        date(2022, 10, 28),
        "Des propositions sur lesquelles les deux groupes s'accordent.",
    ),
    (
        "Phase d'interpellation tripartite avec les élu·es",
        date(2022, 11, 15),
        date(2022, 12, 15),
        "Les propositions portées devant le comité syndical ; un tableau des effets (+ et −).",
    ),
    (
        "Formation des managers avec le CNFPT",
        date(2023, 1, 16),
        date(2023, 6, 30),
        "Quarante managers formés au management par la coopération.",
    ),
    (
        "Réseaux inter-EPCI entre pairs",
        date(2023, 9, 1),
        date(2024, 6, 30),
        "Des réseaux de chargé·es de communication, Petites Villes de Demain, Climat-PCAET, DGS, agents "
        "techniques, offices de tourisme.",
    ),
]
RES, CON, INF = ResponsibilityLevel.RESPONSIBLE, ResponsibilityLevel.CONTRIBUTOR, ResponsibilityLevel.INFORMED
# One row per stakeholder (in STAKEHOLDERS' order), one column per step (in STEPS' order); "" for no role.
ROLES = [
    [RES, RES, CON, CON, RES],
    [RES, RES, CON, INF, CON],
    [INF, INF, RES, INF, INF],
    ["", "", "", RES, ""],
    [INF, "", INF, "", INF],
]

INTENTION_COMMENT = (
    "La reprise des recommandations du diagnostic est claire. Pensez à dire, dans la note de cadrage, "
    "comment les élu·es seront associé·es."
)
REOPEN_REASON = (
    "La note de faisabilité montre que les élu·es ne sont associé·es qu'à la phase d'interpellation, et le "
    "groupe des DGS n'a jamais vraiment pris : reprenons les parties prenantes et les freins avant d'aller "
    "plus loin."
)
# question number (None: the whole note), author key, text, reply (author key, text) or None, resolved
CADRAGE_COMMENTS = [
    (
        1,
        "facilitatrice",
        "Le groupe des élu·es référent·es est une bonne réponse. Qui le désigne, et à quel moment de "
        "l'année ?",
        ("agent", "Le comité syndical, lors de sa séance de septembre ; nous l'ajoutons à la note."),
        False,
    ),
    (
        4,
        "facilitatrice",
        "Comment apprécierez-vous la vision partagée du Pôle ? Un critère qualitatif, discuté avec les "
        "trois groupes, suffirait.",
        None,
        False,
    ),
    (
        5,
        "facilitatrice",
        "Merci d'avoir repris le tableau des effets : c'est exactement ce qu'il fallait nommer.",
        None,
        True,
    ),
]
PRIVATE_NOTE = (
    "Le DGS de la communauté de communes Centre Tarn reste réservé sur le protocole : à rencontrer avant la "
    "validation de la note de cadrage."
)


def _answer(actor, deliverable, number, text):
    question = deliverable.question_set.questions.get(number=number)
    answer = deliverable.answers.filter(question=question).first()
    services.answer_save(
        actor=actor,
        deliverable=deliverable,
        question=question,
        text=text,
        base_version=answer.version if answer else 0,
    )


def _stakeholder(actor, deliverable, position, values):
    name, organisation, involvement, family = values
    item = Stakeholder(
        name=name, organisation=organisation, involvement=involvement, family=family, position=position
    )
    return services.part_save(actor=actor, deliverable=deliverable, item=item)


def _write_intention(users, project):
    intention = project.deliverables.get(kind=DeliverableKind.INTENTION)
    for number, text in INTENTION.items():
        _answer(users["agent"], intention, number, text)
    services.deliverable_submit(actor=users["agent"], deliverable=intention)
    services.comment_add(
        actor=users["facilitatrice"],
        deliverable=intention,
        question=intention.question_set.questions.get(number=3),
        body=INTENTION_COMMENT,
    )
    services.deliverable_validate(
        actor=users["facilitatrice"],
        deliverable=intention,
        message="L'approche collective est validée : place à la note de cadrage.",
    )


def _write_cadrage(users, project):
    cadrage = project.deliverables.get(kind=DeliverableKind.CADRAGE)
    for number, text in CADRAGE_V1.items():
        _answer(users["dgs"] if number % 2 else users["agent"], cadrage, number, text)
    stakeholders = [
        _stakeholder(users["dgs"], cadrage, position, values) for position, values in enumerate(STAKEHOLDERS)
    ]
    objectives = [
        services.part_save(
            actor=users["agent"],
            deliverable=cadrage,
            item=Objective(
                kind=kind,
                title=title,
                indicator=indicator,
                baseline=baseline,
                target=target,
                unit=unit,
                due_date=due,
                position=position,
            ),
        )
        for position, (kind, title, indicator, baseline, target, unit, due) in enumerate(OBJECTIVES)
    ]
    for position, (text, indexes) in enumerate(CRITERIA):
        services.part_save(
            actor=users["agent"],
            deliverable=cadrage,
            item=SuccessCriterion(text=text, position=position),
            related={"objectives": [objectives[i] for i in indexes]},
        )
    services.deliverable_submit(actor=users["agent"], deliverable=cadrage)
    services.deliverable_validate(
        actor=users["facilitatrice"],
        deliverable=cadrage,
        message="Des objectifs clairs et mesurables : la note de faisabilité est ouverte.",
    )
    return cadrage, stakeholders


def _draft_faisabilite(users, project, stakeholders):
    faisabilite = project.deliverables.get(kind=DeliverableKind.FAISABILITE)
    for number, text in FAISABILITE.items():
        _answer(users["agent"], faisabilite, number, text)
    for position, (origin, kind, description, fte, amount, funder) in enumerate(MEANS):
        services.part_save(
            actor=users["agent"],
            deliverable=faisabilite,
            item=Means(
                origin=origin,
                kind=kind,
                description=description,
                fte=fte,
                amount=amount,
                funder=funder,
                position=position,
            ),
        )
    steps = [
        services.part_save(
            actor=users["dgs"],
            deliverable=faisabilite,
            item=Step(title=title, start=start, end=end, outputs=outputs, position=position),
        )
        for position, (title, start, end, outputs) in enumerate(STEPS)
    ]
    cells = {
        (stakeholder.pk, step.pk): level
        for stakeholder, row in zip(stakeholders, ROLES, strict=True)
        for step, level in zip(steps, row, strict=True)
    }
    services.roles_save(actor=users["agent"], deliverable=faisabilite, cells=cells)


def _revise_cadrage(users, project, cadrage):
    services.deliverable_reopen(actor=users["facilitatrice"], deliverable=cadrage, reason=REOPEN_REASON)
    for number, text in CADRAGE_V2.items():
        _answer(users["agent"], cadrage, number, text)
    _stakeholder(users["agent"], cadrage, len(STAKEHOLDERS), ELUS_REFERENTS)
    services.deliverable_submit(actor=users["agent"], deliverable=cadrage)
    people = [users["agent"], users["dgs"], users["facilitatrice"]]
    for number, author, body, reply, resolved in CADRAGE_COMMENTS:
        question = cadrage.question_set.questions.get(number=number) if number else None
        comment = services.comment_add(
            actor=users[author], deliverable=cadrage, question=question, body=body, allowed_mentions=people
        )
        if reply is not None:
            replier, text = reply
            services.comment_add(
                actor=users[replier], deliverable=cadrage, parent=comment, body=text, allowed_mentions=people
            )
        if resolved:
            services.comment_resolve(actor=users["agent"], comment=comment)
    services.private_note_add(actor=users["facilitatrice"], project=project, body=PRIVATE_NOTE)


def seed_projects(*, users):
    """The pilot's project, once: nothing is done when it exists already.

    `users` are seed_demo's accounts by the local part of their e-mail: agent, dgs, elu, facilitatrice."""
    territory = Territory.objects.filter(kind=TerritoryKind.GROUPING, name=PILOT_NAME).first()
    if territory is None:
        return None
    existing = Project.objects.filter(territory=territory, title=TITLE).first()
    if existing is not None:
        return existing
    with transaction.atomic():
        project = services.project_create(
            actor=users["agent"],
            territory=territory,
            title=TITLE,
            summary=SUMMARY,
            themes=list(Theme.objects.filter(slug__in=THEMES)),
            lead=users["agent"],
            members=[users["dgs"]],
            recommendations=list(territory.diagnostic.recommendations.filter(number__in=RECOMMENDATIONS)),
        )
        _write_intention(users, project)
        cadrage, stakeholders = _write_cadrage(users, project)
        _draft_faisabilite(users, project, stakeholders)
        _revise_cadrage(users, project, cadrage)
    project.refresh_from_db()
    return project
