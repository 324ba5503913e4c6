"""Demo data of the evaluation of the value created: on the Tarn pilot's project, the closed session that took
stock of the first year of the peer protocol (DOMAIN.md §3 and its table of + and −): the agents' group took
over the exercise, the DGS group never really "took", no shared view among the élus yet. On cooperation the
agents and the DGS disagree, and the group records it rather than averaging it away."""

import datetime

from django.db import transaction

from .access import get_scope_for_user
from .models import EvaluationSession
from .services import evaluation as services

TITLE = "Bilan de la première année du protocole entre pairs"
HELD_ON = datetime.date(2022, 10, 13)
PARTICIPANTS = ("agent", "dgs", "elu", "facilitatrice")

# By dimension (the names of the seeded grid): each participant's (score, comment, for whom, evidence), then
# the group's (score, synthesis, disagreements).
RATINGS = {
    "Économique et financière": (
        {
            "agent": (
                0,
                "Pas d'effet financier mesurable la première année ; quelques déplacements mutualisés "
                "entre EPCI.",
                "Les cinq communautés de communes",
                "Tableau des déplacements des agents",
            ),
            "dgs": (
                -1,
                "Le temps passé en groupes de pairs n'est pas compensé, pour des équipes techniques de six "
                "ou sept agents.",
                "Les services des communautés de communes",
                "Heures consacrées au protocole",
            ),
            "elu": (
                0,
                "Trop tôt pour le dire : nous verrons si les projets survivent mieux à la fin de leur "
                "financement.",
                "Le territoire",
                "",
            ),
            "facilitatrice": (
                0,
                "Sortir d'une logique d'opportunité d'appel à projets prend plus d'une année.",
                "Le Pôle",
                "Diagnostic initial de 2021",
            ),
        },
        (
            0,
            "Pas de valeur économique mesurable à un an. Le temps des agents et des DGS est un coût réel, "
            "accepté pour l'instant.",
            "La DGS juge ce coût déjà trop lourd pour de petites équipes.",
        ),
    ),
    "Environnementale": (
        {
            "agent": (
                1,
                "Le réseau Climat-PCAET inter-EPCI a relancé des actions du PCAET.",
                "Les habitants, par le PCAET",
                "Comptes rendus du réseau Climat-PCAET",
            ),
            "dgs": (0, "Un effet indirect seulement : rien de neuf sur le terrain.", "", ""),
            "elu": (1, "Le PCAET avance enfin à l'échelle des cinq EPCI.", "Le territoire", ""),
            "facilitatrice": (
                0,
                "Le protocole porte sur le management ; l'effet environnemental viendra par les projets.",
                "",
                "",
            ),
        },
        (
            0,
            "Un effet environnemental attendu, mais indirect : il passera par les projets que la coopération "
            "rendra possibles.",
            "Les agents et l'élue voient déjà un effet (+1) à travers le réseau Climat-PCAET.",
        ),
    ),
    "Sociale et santé": (
        {
            "agent": (
                1,
                "Moins d'isolement : les agents des petites communautés de communes ont des pairs à qui "
                "parler.",
                "Les agents",
                "Retours des participant·es aux groupes de pairs",
            ),
            "dgs": (0, "Pas d'effet visible sur les conditions de travail des DGS.", "Les DGS", ""),
            "elu": (1, "Les agents semblent plus à l'aise dans leur travail.", "Les agents", ""),
            "facilitatrice": (
                1,
                "Le vécu et le rapport de chacun·e au travail ont été accueillis dans les groupes.",
                "Les agents",
                "Notes des séances des groupes de pairs",
            ),
        },
        (1, "Les agents se sentent moins seuls face aux transitions ; rien de tel encore pour les DGS.", ""),
    ),
    "Confiance": (
        {
            "agent": (1, "Une confiance forte entre agents, encore fragile avec les DGS.", "Les agents", ""),
            "dgs": (
                -1,
                "Le groupe des DGS n'a jamais vraiment « pris » ; la défiance entre communautés de communes "
                "demeure.",
                "Les DGS",
                "Présence aux réunions du groupe des DGS",
            ),
            "elu": (
                0,
                "Pas de vision partagée entre élus : la confiance entre nous n'a pas bougé.",
                "Les élus",
                "",
            ),
            "facilitatrice": (
                0,
                "Deux visions du Pôle coexistent toujours : une strate de plus, ou l'échelle où mutualiser.",
                "Le Pôle",
                "Diagnostic initial de 2021",
            ),
        },
        (
            0,
            "La confiance est gagnée entre agents, pas entre DGS ni entre élus.",
            "Les agents la voient progresser (+1) ; la DGS la voit reculer (−1) dans son propre groupe.",
        ),
    ),
    "Compétences et apprentissages": (
        {
            "agent": (
                2,
                "Le cycle de cinq jours sur le management par la coopération, avec le CNFPT : 40 managers "
                "formés.",
                "Les 40 managers des cinq communautés de communes",
                "Feuilles d'émargement du CNFPT",
            ),
            "dgs": (1, "Une formation utile, que les DGS ont peu suivie.", "Les managers", ""),
            "elu": (
                1,
                "Les sessions de sensibilisation ont touché 70 élus et agents.",
                "Les élus et les agents",
                "Listes de présence",
            ),
            "facilitatrice": (
                2,
                "L'approche systémique et le mode projet collectif commencent à être partagés.",
                "Les équipes techniques",
                "",
            ),
        },
        (
            2,
            "La formation territoriale avec le CNFPT et les sessions de sensibilisation sont le principal "
            "acquis de l'année.",
            "",
        ),
    ),
    "Coopération": (
        {
            "agent": (
                2,
                "Le groupe des agents s'est emparé de l'exercice : un argumentaire partagé et détaillé est "
                "sorti des groupes de pairs.",
                "Les agents des cinq communautés de communes",
                "L'argumentaire des agents ; les réseaux inter-EPCI (chargés de communication, Petites "
                "Villes de Demain, Climat-PCAET…)",
            ),
            "dgs": (
                0,
                "Côté DGS, le groupe n'a jamais vraiment pris : pas de point de vue commun, peu de présence.",
                "Les DGS",
                "Présence aux réunions du groupe des DGS",
            ),
            "elu": (
                1,
                "Les réseaux inter-EPCI fonctionnent ; l'interpellation tripartite des élus reste à faire.",
                "Les agents",
                "",
            ),
            "facilitatrice": (
                1,
                "Forte chez les agents, absente chez les DGS : une moyenne n'aurait pas de sens.",
                "Les agents",
                "",
            ),
        },
        (
            1,
            "La coopération est réelle entre agents (réseaux inter-EPCI, argumentaire partagé) ; elle ne "
            "s'est pas installée entre DGS.",
            "Les agents retiennent +2 : pour eux l'essentiel est acquis. La DGS retient 0 : tant que le "
            "groupe des DGS ne fonctionne pas, la transversalité reste bloquée. Le désaccord sera mis au "
            "travail au prochain cycle.",
        ),
    ),
    "Pertinence du projet pour le territoire": (
        {
            "agent": (
                2,
                "Le projet répond au diagnostic : les projets mouraient avec leur financement, faute de "
                "coopération.",
                "Le territoire",
                "Diagnostic initial de 2021",
            ),
            "dgs": (1, "Pertinent, à condition que les DGS s'y retrouvent.", "Les DGS", ""),
            "elu": (1, "Le Pôle comme échelle cohérente pour mutualiser, si la coopération tient.", "", ""),
            "facilitatrice": (
                2,
                "Il s'attaque à la capacité à porter une transition systémique, au cœur du diagnostic.",
                "Le territoire",
                "",
            ),
        },
        (
            1,
            "Le projet répond au diagnostic de 2021 ; sa pertinence dépendra de l'engagement des DGS et des "
            "élus.",
            "",
        ),
    ),
}


def seed_evaluation(project, *, users):
    """The closed session on the pilot's project, once: nothing is done when it exists already.

    `users` are seed_demo's accounts by the local part of their e-mail: agent, dgs, elu, facilitatrice."""
    existing = EvaluationSession.objects.filter(project=project, title=TITLE).first()
    if existing is not None:
        return existing
    with transaction.atomic():
        session = services.session_open(
            actor=users["agent"],
            scope=get_scope_for_user(users["agent"], project_pk=project.pk),
            title=TITLE,
            held_on=HELD_ON,
            participants=[users[key] for key in PARTICIPANTS],
        )
        grid = {dimension.name: dimension for dimension in session.dimensions.all()}
        for key in PARTICIPANTS:
            rows = [
                {
                    "dimension": grid[name],
                    "score": score,
                    "comment": comment,
                    "for_whom": for_whom,
                    "evidence": evidence,
                }
                for name, (ratings, _agreed) in RATINGS.items()
                if name in grid
                for score, comment, for_whom, evidence in [ratings[key]]
            ]
            services.ratings_save(actor=users[key], session=session, rows=rows)
        services.session_start_deliberation(actor=users["facilitatrice"], session=session)
        for dimension in grid.values():
            if dimension.name not in RATINGS:
                continue
            score, synthesis, disagreements = RATINGS[dimension.name][1]
            services.agreement_save(
                actor=users["facilitatrice"],
                session=session,
                dimension=dimension,
                score=score,
                synthesis=synthesis,
                disagreements=disagreements,
            )
        if not services.missing_agreements(session):
            services.session_close(actor=users["facilitatrice"], session=session)
    return session
