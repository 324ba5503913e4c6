"""Demo data of territories: the Tarn pilot of DOMAIN.md §3, built on the official reference data (used by
`seed_demo`, after the import of the reference data).

The figures come from the pilot's own presentation: five communautés de communes, 23 élu·es on the syndicate,
40 members of the conseil de développement, a technical team of 6 to 7 agents, the turning points of
2007/2008, 2017/2018 and 2021. Population and number of communes are computed from the reference data.
"""

from datetime import date
from decimal import Decimal

from django.db import transaction

from alliance.models import Organisation
from core.french import Article
from reference.models import Epci

from .models import (
    Diagnostic,
    GovernanceBody,
    GroupingKind,
    Milestone,
    MilestoneKind,
    PlanKind,
    Recommendation,
    RecommendationStatus,
    TeamMember,
    TeamRole,
    Territory,
    TerritoryKind,
)
from .services import assessment_record, team_member_add, territory_create

PILOT_NAME = "Pôle Territorial (Tarn)"
# The demo organisation of alliance/demo.py that carries the pilot.
CARRIER_NAME = "Pôle Territorial (Tarn)"
# CC Carmausin-Ségala, CC Centre Tarn, CC du Cordais et du Causse, CC Val 81,
# CC des Monts d'Alban et du Villefranchois.
PILOT_EPCI = ("200040905", "200034049", "200034064", "248100497", "200034031")
# The presentation gives 59 500 inhabitants at 35 hab./km²: about 1 700 km².
PILOT_AREA_KM2 = Decimal("1700")

DESCRIPTION = (
    "Un territoire rural du Tarn : cinq communautés de communes, une centaine de communes. Engagé depuis "
    "2007/2008 dans les transitions et l'innovation environnementale, il est accompagné depuis 2021 par La "
    "Fabrique des Transitions dans un projet pilote, « Management des organisations par la coopération »."
)

GOVERNANCE = [("Comité syndical (élu·es)", 23), ("Conseil de développement", 40)]

# user key (see seed_demo), role, manages the territory
TEAM = [("agent", TeamRole.AGENT, True), ("dgs", TeamRole.DGS, False), ("elu", TeamRole.ELU, False)]

# The presentation dates the period (2007/2008 to 2017) but not each plan within it: the years of the plans
# are placed in that period for the timeline.
# kind, plan, title, start year, end year, grant dependent, description
TRAJECTORY = [
    (
        MilestoneKind.OTHER,
        "",
        "Transitions et innovation environnementale",
        2007,
        2008,
        False,
        "Les premiers engagements du territoire dans les transitions et l'innovation environnementale.",
    ),
    (
        MilestoneKind.STRATEGY,
        PlanKind.PCET,
        "Plan climat-énergie territorial",
        2009,
        None,
        False,
        "Une stratégie parmi d'autres : des actions sectorielles, sans transition globale du territoire.",
    ),
    (
        MilestoneKind.STRATEGY,
        PlanKind.CEP,
        "Conseil en énergie partagé",
        2010,
        2016,
        True,
        "Un service financé par appel à projet, qui s'arrête avec son financement.",
    ),
    (
        MilestoneKind.STRATEGY,
        PlanKind.TEPOS,
        "Territoire à énergie positive (TEPOS)",
        2012,
        None,
        False,
        "Une candidature de plus dans « une logique d'opportunité d'appel à projet ».",
    ),
    (
        MilestoneKind.STRATEGY,
        PlanKind.RENOVATION,
        "Plateforme de la rénovation énergétique",
        2014,
        2017,
        True,
        "Une ingénierie de la transition limitée et « subventiono-dépendante » : la plateforme meurt avec la "
        "fin de son financement.",
    ),
    (
        MilestoneKind.STRATEGY,
        PlanKind.PAT,
        "Projet alimentaire territorial",
        2016,
        None,
        False,
        "Encore un plan sectoriel ; la coopération avec les acteurs locaux reste difficile.",
    ),
    (
        MilestoneKind.END_OF_SCHEME,
        "",
        "Fin de la plateforme de la rénovation et du CEP",
        2017,
        None,
        True,
        "Les projets meurent avec la fin de leur financement.",
    ),
    (
        MilestoneKind.TURNING_POINT,
        PlanKind.PCAET,
        "1ère bascule : le PCAET",
        2017,
        2018,
        False,
        "Le plan climat-air-énergie territorial : les communautés de communes prennent la main.",
    ),
    (
        MilestoneKind.ACCOMPANIMENT,
        "",
        "2e bascule : l'accompagnement par La Fabrique des Transitions",
        2021,
        None,
        False,
        "Approche systémique et transversalité, organisation des équipes techniques, pratiques "
        "managériales : le projet pilote « Management des organisations par la coopération ».",
    ),
]

DIAGNOSTIC_DATE = date(2021, 6, 1)
FINDINGS = (
    "Diagnostic initial de la capacité à porter et piloter une transition systémique.\n"
    "- Des actions sectorielles, pas de transition globale du territoire.\n"
    "- Des projets qui meurent avec la fin de leur financement (plateforme de la réno, CEP…) : « une logique "
    "d'opportunité d'appel à projet ».\n"
    "- Une ingénierie de la transition limitée et « subventiono-dépendante ».\n"
    "- Des difficultés à coopérer avec les acteurs locaux.\n"
    "- Trois catégories d'acteurs détiennent des clés de la coopération : les technicien·nes, les DGS et les "
    "élu·es."
)
TENSIONS = (
    "Deux visions contradictoires du Pôle : une strate administrative de plus, ou une échelle cohérente pour "
    "mutualiser les moyens, à condition d'être fondée sur la coopération."
)
RECOMMENDATIONS = [
    (
        "Expérimenter un protocole entre pairs : un espace des agents et un espace des DGS qualifient leurs "
        "points de vue collectifs, révèlent leurs besoins et font des propositions ; les deux groupes "
        "croisent leurs regards, s'accordent, puis interpellent les élu·es (phase d'interpellation "
        "tripartite).",
        RecommendationStatus.IN_PROGRESS,
    ),
    (
        "Former les managers des cinq communautés de communes au management par la coopération : un cycle de "
        "cinq jours avec le CNFPT.",
        RecommendationStatus.DONE,
    ),
    (
        "Sensibiliser élu·es et agents à l'approche systémique et à la coopération.",
        RecommendationStatus.DONE,
    ),
    (
        "Animer des réseaux inter-EPCI entre pairs : chargé·es de communication, Petites Villes de Demain, "
        "Climat-PCAET, DGS, agents techniques, offices de tourisme…",
        RecommendationStatus.IN_PROGRESS,
    ),
    (
        "Co-construire un projet opérationnel à l'échelle des cinq EPCI.",
        RecommendationStatus.PROPOSED,
    ),
]

ASSESSMENT_DATE = date(2023, 3, 15)
ASSESSMENT_COMMENT = (
    "Première auto-évaluation de l'équipe, discutée avec l'accompagnatrice : la formation a pris, "
    "l'évaluation de la valeur créée reste à construire."
)
# fundamental → level, evidence, comment
SCORES = {
    1: (
        2,
        "Le groupe des agents s'est approprié l'exercice entre pairs ; celui des DGS n'a jamais vraiment "
        "pris.",
        "L'engagement des DGS et des élu·es est le prochain chantier.",
    ),
    2: (
        2,
        "Des réseaux inter-EPCI se réunissent (communication, Petites Villes de Demain, Climat-PCAET) ; un "
        "argumentaire partagé et détaillé des agents.",
        "Pas encore de vision partagée des élu·es ni des DGS.",
    ),
    3: (
        3,
        "40 managers des cinq communautés de communes formés (cycle de cinq jours avec le CNFPT) ; 70 élu·es "
        "et agents sensibilisés.",
        "",
    ),
    4: (
        1,
        "Un tableau des effets (+ et −) du protocole entre pairs.",
        "Évaluer la valeur créée par la coopération, au-delà des effets constatés.",
    ),
}


def seed_territories(*, admin, users):
    """The Tarn pilot territory. Idempotent: each part is created only when missing.

    `users` are seed_demo's accounts by the local part of their e-mail: agent, dgs, elu, facilitatrice.
    """
    with transaction.atomic():
        territory = Territory.objects.filter(kind=TerritoryKind.GROUPING, name=PILOT_NAME).first()
        if territory is None:
            territory = territory_create(
                actor=admin,
                kind=TerritoryKind.GROUPING,
                name=PILOT_NAME,
                epcis=Epci.objects.filter(siren__in=PILOT_EPCI),
                grouping_kind=GroupingKind.POLE,
            )
            territory.article = Article.LE  # « le Pôle Territorial (Tarn) », « du Pôle », « au Pôle »
            territory.description = DESCRIPTION
            territory.area_km2 = PILOT_AREA_KM2
            territory.technical_team_min, territory.technical_team_max = 6, 7
            territory.is_pilot, territory.pilot_since, territory.is_published = True, 2021, True
            territory.carrier = Organisation.objects.filter(name=CARRIER_NAME).first()
            territory.save()
            territory.facilitators.add(users["facilitatrice"])
        for order, (name, members) in enumerate(GOVERNANCE):
            GovernanceBody.objects.get_or_create(
                territory=territory, name=name, defaults={"members": members, "order": order}
            )
        for key, role, is_manager in TEAM:
            if not TeamMember.objects.filter(territory=territory, user=users[key]).exists():
                team_member_add(
                    actor=admin, territory=territory, user=users[key], role=role, is_manager=is_manager
                )
        if not territory.milestones.exists():
            Milestone.objects.bulk_create(
                Milestone(
                    territory=territory,
                    kind=kind,
                    plan=plan,
                    title=title,
                    start_year=start,
                    end_year=end,
                    grant_dependent=grant_dependent,
                    description=description,
                )
                for kind, plan, title, start, end, grant_dependent, description in TRAJECTORY
            )
        diagnostic, created = Diagnostic.objects.get_or_create(
            territory=territory,
            defaults={
                "date": DIAGNOSTIC_DATE,
                "authors": "La Fabrique des Transitions",
                "findings": FINDINGS,
                "tensions": TENSIONS,
            },
        )
        if created:
            # The trainings and awareness sessions were done outside any project: set by hand. The others
            # follow the demo project that answers them (projects/demo.py).
            Recommendation.objects.bulk_create(
                Recommendation(
                    diagnostic=diagnostic,
                    number=number,
                    text=text,
                    status=status,
                    status_set_by_hand=status == RecommendationStatus.DONE,
                )
                for number, (text, status) in enumerate(RECOMMENDATIONS, start=1)
            )
        if not territory.assessments.exists():
            assessment_record(
                actor=users["agent"],
                territory=territory,
                date=ASSESSMENT_DATE,
                scores={
                    fundamental: {"level": level, "evidence": evidence, "comment": comment}
                    for fundamental, (level, evidence, comment) in SCORES.items()
                },
                comment=ASSESSMENT_COMMENT,
                discussed_with=users["facilitatrice"],
            )
    return territory
