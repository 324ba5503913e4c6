"""The actor map of the Tarn pilot's project "Management des organisations par la coopération" (DOMAIN.md §3):
the élus of the syndicate and its president, the agents' and DGS' peer groups, the CNFPT, La Fabrique des
Transitions, the conseil de développement, the State's services, the 5 communautés de communes…, who
influences whom, and the chain of actions of the experimental peer protocol. Recorded through the services,
so it is audited like any map."""

from .models import ActorFamily, ActorKind, InfluenceSign, InfluenceStrength
from .services import actors as services

ELU, AGENT, ETAT, SOCIO, AUTRE = (
    ActorFamily.ELU,
    ActorFamily.AGENT,
    ActorFamily.ETAT,
    ActorFamily.SOCIO_ECO,
    ActorFamily.AUTRE,
)
PERSON, ORGANISATION, COLLECTIVE = ActorKind.PERSON, ActorKind.ORGANISATION, ActorKind.COLLECTIVE
POS, NEG = InfluenceSign.POSITIVE, InfluenceSign.NEGATIVE
WEAK, MEDIUM, STRONG = InfluenceStrength.WEAK, InfluenceStrength.MEDIUM, InfluenceStrength.STRONG

# key: (name, family, kind, role, selected)
ACTORS = {
    "syndicat": (
        "Élus du syndicat mixte",
        ELU,
        COLLECTIVE,
        "23 élus : décident des orientations du Pôle",
        True,
    ),
    "president": ("Président du Pôle territorial", ELU, PERSON, "Porte la démarche politiquement", True),
    "cc": (
        "Présidents des 5 communautés de communes",
        ELU,
        COLLECTIVE,
        "Chefs de file depuis le PCAET",
        True,
    ),
    "agents": ("Groupe des agents", AGENT, COLLECTIVE, "Espace de pairs des technicien·nes", True),
    "dgs": ("Groupe des DGS", AGENT, COLLECTIVE, "Espace de pairs des directions générales", True),
    "equipe": ("Équipe technique du Pôle", AGENT, COLLECTIVE, "6 à 7 agents, pilotage de la démarche", True),
    "communication": (
        "Chargés de communication des EPCI",
        AGENT,
        COLLECTIVE,
        "Premier réseau inter-EPCI de pairs",
        True,
    ),
    "etat": (
        "Services de l'État (sous-préfecture, DDT)",
        ETAT,
        ORGANISATION,
        "Financements, appels à projets",
        True,
    ),
    "conseil": ("Conseil de développement", SOCIO, COLLECTIVE, "40 membres de la société civile", True),
    "tourisme": ("Offices de tourisme", SOCIO, ORGANISATION, "Réseau de pairs à venir", False),
    "cnfpt": ("CNFPT", AUTRE, ORGANISATION, "Formation des agents territoriaux", True),
    "fabrique": ("La Fabrique des Transitions", AUTRE, ORGANISATION, "Accompagnement depuis 2021", True),
}

INFLUENCES = [
    ("president", "syndicat", STRONG, POS, "Porte la démarche devant le comité syndical"),
    ("syndicat", "equipe", STRONG, POS, "Fixe les priorités et les moyens de l'équipe"),
    (
        "cc",
        "syndicat",
        MEDIUM,
        NEG,
        "Deux visions du Pôle : une strate de plus, ou l'échelle pour mutualiser",
    ),
    ("agents", "dgs", MEDIUM, POS, "Croisement des points de vue entre pairs"),
    ("dgs", "agents", WEAK, NEG, "Le groupe des DGS n'a jamais vraiment « pris »"),
    ("agents", "syndicat", MEDIUM, POS, "Un argumentaire partagé et détaillé porté aux élus"),
    ("dgs", "cc", MEDIUM, POS, "Relaient les propositions dans chaque communauté de communes"),
    ("fabrique", "equipe", STRONG, POS, "Approche systémique, transversalité, pratiques managériales"),
    ("cnfpt", "agents", MEDIUM, POS, "Cycle de 5 jours sur le management par la coopération"),
    ("etat", "syndicat", WEAK, NEG, "Logique d'appel à projets : une ingénierie « subventiono-dépendante »"),
    ("conseil", "syndicat", WEAK, POS, "Avis sur les stratégies du Pôle"),
    ("equipe", "communication", MEDIUM, POS, "Anime le réseau inter-EPCI"),
    ("communication", "agents", WEAK, POS, "Partage des pratiques entre EPCI"),
]

# order: (title, carriers, description)
ACTIONS = [
    (
        "Diagnostic initial",
        ("fabrique", "equipe"),
        "La capacité à porter et piloter une transition systémique : deux visions du Pôle apparaissent.",
    ),
    (
        "Espaces de pairs agents et DGS",
        ("agents", "dgs"),
        "Chaque espace qualifie son point de vue collectif.",
    ),
    (
        "Croisement des points de vue",
        ("agents", "dgs", "equipe"),
        "Les deux groupes s'accordent sur des propositions.",
    ),
    (
        "Interpellation tripartite des élus",
        ("syndicat", "agents", "dgs"),
        "Les propositions montent aux élus.",
    ),
    (
        "Formation territoriale avec le CNFPT",
        ("cnfpt", "equipe"),
        "40 managers des 5 communautés de communes.",
    ),
    (
        "Projet opérationnel à l'échelle des 5 EPCI",
        ("cc", "equipe"),
        "Un projet co-construit entre les EPCI.",
    ),
]


def seed_actor_map(project, *, actor_user):
    """Idempotent: a project that already has actors is left as it is."""
    if project.actors.exists():
        return
    actors = {
        key: services.actor_add(
            actor=actor_user,
            project=project,
            name=name,
            family=family,
            kind=kind,
            role=role,
            is_selected=selected,
        )
        for key, (name, family, kind, role, selected) in ACTORS.items()
    }
    for source, target, strength, sign, comment in INFLUENCES:
        services.influence_add(
            actor=actor_user,
            project=project,
            source=actors[source],
            target=actors[target],
            strength=strength,
            sign=sign,
            comment=comment,
        )
    following = []
    # From the last action back to the first, so that each one leads to the next, already recorded.
    for order, (title, carriers, description) in reversed(list(enumerate(ACTIONS))):
        action = services.action_add(
            actor=actor_user,
            project=project,
            order=order,
            title=title,
            description=description,
            carriers=[actors[key] for key in carriers],
            leads_to=following,
        )
        following = [action]
