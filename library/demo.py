"""Demo data of the library: the method's tools (DOMAIN.md §5), the three deliverables (§4), the Tarn pilot's
experience (§3), the charter and the festival "Explore Demain" (used by `seed_demo`, after the territories).

Each resource goes through the real workflow (written, submitted, published by the admin); a resource whose
title exists already is left as it is, so that running the command again changes nothing.
"""

from datetime import date

from django.db import transaction

from core.models import Theme
from territories.demo import PILOT_NAME
from territories.models import Territory

from .models import Resource, ResourceKind, ResourceStatus
from .services import resource_create, resource_publish, resource_submit

TOOL, METHOD, EXPERIENCE = ResourceKind.TOOL, ResourceKind.METHOD, ResourceKind.EXPERIENCE
PUBLICATION, EVENT = ResourceKind.PUBLICATION, ResourceKind.EVENT
# The next festival after the demo's creation: 17–25 May.
FESTIVAL_YEAR = 2027

# author key (see seed_demo), kind, title, themes, from the pilot, status, extra fields, summary, body
RESOURCES = [
    (
        "facilitatrice",
        TOOL,
        "Le schéma actantiel",
        ["cooperation-management"],
        False,
        ResourceStatus.PUBLISHED,
        {"credits": "D'après le modèle actantiel d'Algirdas Julien Greimas"},
        "Raconter un projet comme une quête : qui la confie, qui la mène, qui aide, qui s'y oppose et qui en "
        "bénéficie.",
        "Destinateur(s) : celui ou ce qui donne au sujet une mission, une quête ; une personne, une chose, "
        "une "
        "force psychologique, une idée…\n\n"
        "Sujet : celui qui doit accomplir la quête confiée par le destinateur ; le personnage principal de "
        "l'histoire.\n\n"
        "Objet(s) : l'objet de la quête, la raison pour laquelle le sujet remplit ses missions ; réel ou "
        "abstrait.\n\n"
        "Quête(s) : confiée par le destinateur pour obtenir un objet, une récompense ; elle regroupe toutes "
        "les "
        "actions qui vont se dérouler.\n\n"
        "Adjuvant(s) : aident le sujet à accomplir sa quête ; souvent des personnages secondaires, ou un "
        "objet.\n\n"
        "Opposant(s) : entravent la quête ; personnages secondaires ou obstacles physiques.\n\n"
        "Destinataire(s) : ceux qui bénéficient de la fin de la quête ; le sujet, le destinateur, les "
        "adjuvants "
        "ou des personnages extérieurs.",
    ),
    (
        "facilitatrice",
        TOOL,
        "La carte des acteurs",
        ["cooperation-management", "gouvernance"],
        False,
        ResourceStatus.PUBLISHED,
        {},
        "Dessiner qui agit sur qui dans le projet, la chaîne des actions et leur ordre, pour choisir par où "
        "commencer.",
        "La légende de la carte : « → a une influence sur… », la « chaîne des actions » et « l'ordre des "
        "actions 0, 1… ».\n\n"
        "Chaque acteur de l'écosystème du projet y figure, avec les quatre familles des « 4 Fantastiques » : "
        "l'élu, l'agent, l'État territorial et l'acteur socio-économique.",
    ),
    (
        "facilitatrice",
        METHOD,
        "Raconter la coopération",
        ["cooperation-management"],
        False,
        ResourceStatus.PUBLISHED,
        {},
        "Un travail d'introspection et de prospection pour améliorer le pilotage des transitions.",
        "Créer des espaces réflexifs et délibératifs au sein des organisations.\n\n"
        "Faire émerger des groupes de pairs fonctionnels et hiérarchiques pour soutenir la "
        "transversalité.\n\n"
        "Accueillir et respecter le vécu et le rapport de chacun·e à l'histoire et au travail.\n\n"
        "Mettre les différends au travail.\n\n"
        "Prospecter sur les effets créés par la coopération.",
    ),
    (
        "facilitatrice",
        METHOD,
        "Évaluer et délibérer sur la valeur créée",
        ["cooperation-management", "economie-circulaire"],
        False,
        ResourceStatus.PUBLISHED,
        {"credits": "ATEMIS"},
        "Évaluer ensemble la valeur qu'un projet ou la coopération a créée, au-delà de sa valeur monétaire.",
        "Inspirée de l'économie de la fonctionnalité et de la coopération : la valeur n'est pas seulement "
        "monétaire ; elle comprend des ressources immatérielles comme la confiance, les compétences, la "
        "santé, "
        "la coopération et la pertinence de ce qui est fait.\n\n"
        "L'évaluation se fait ensemble et se délibère : elle est le quatrième des fondamentaux de la "
        "conduite "
        "de changement systémique.",
    ),
    (
        "facilitatrice",
        METHOD,
        "Les 4 fondamentaux de la conduite de changement systémique",
        ["cooperation-management", "gouvernance"],
        False,
        ResourceStatus.PUBLISHED,
        {},
        "Les quatre fondamentaux de la conduite de changement systémique appliqués aux territoires.",
        "1. Créer les conditions d'engagement des acteurs.\n"
        "2. Faciliter leur coopération, mettre les conflits au travail.\n"
        "3. Les former à l'approche systémique et au mode projet collectif.\n"
        "4. Évaluer les effets, la valeur créée…",
    ),
    (
        "facilitatrice",
        TOOL,
        "Les 4 Fantastiques : les familles d'acteurs d'un territoire",
        ["gouvernance"],
        False,
        ResourceStatus.PUBLISHED,
        {},
        "L'élu, l'agent, l'État territorial et l'acteur socio-économique : les quatre familles d'un "
        "écosystème "
        "territorial fondé sur la coopération.",
        "L'élu — Mister Fantastique : particulièrement souple et agile.\n\n"
        "L'agent — La Chose : incarnant la force sur le temps long.\n\n"
        "L'État territorial — La Femme Invisible : qui est partout sans qu'on ne le voie.\n\n"
        "L'acteur socio-économique — La Torche : sans lequel le territoire s'éteint.\n\n"
        "Une entrée assumée par les collectivités.",
    ),
    (
        "facilitatrice",
        METHOD,
        "Le protocole entre pairs",
        ["cooperation-management", "gouvernance"],
        True,
        ResourceStatus.PUBLISHED,
        {},
        "Un espace des agents et un espace des DGS qualifient leurs points de vue, croisent leurs regards et "
        "portent des propositions communes aux élu·es.",
        "Chaque espace qualifie ses points de vue collectifs, révèle des besoins et fait des "
        "propositions.\n\n"
        "Les deux groupes croisent leurs regards et s'accordent sur des propositions.\n\n"
        "Celles-ci montent aux élu·es : c'est la phase d'interpellation tripartite.",
    ),
    (
        "facilitatrice",
        TOOL,
        "La note d'intention (livrable 1)",
        ["gouvernance"],
        False,
        ResourceStatus.PUBLISHED,
        {},
        "Valider l'approche collective dans le choix du projet : les quatre questions du premier livrable.",
        "1. Nature du projet et thèmes associés.\n"
        "2. Enjeux sur le territoire : qu'est-ce qui se joue sur le territoire derrière ce projet au niveau "
        "politique, économique, social, en termes de coopération, de transition, etc. ?\n"
        "3. Le projet correspond-il à une recommandation émise lors du diagnostic ?\n"
        "4. En quoi ce projet sert-il la transition du territoire ?",
    ),
    (
        "facilitatrice",
        TOOL,
        "La note de cadrage (livrable 2)",
        ["gouvernance"],
        False,
        ResourceStatus.PUBLISHED,
        {},
        "Préciser les objectifs du projet : les cinq questions du deuxième livrable.",
        "1. Quelles sont les parties prenantes directes et indirectes ?\n"
        "2. Quels sont les principaux objectifs poursuivis (quantitatifs et qualitatifs) ?\n"
        "3. Quelles sont les conditions qui permettront ou faciliteront l'atteinte des objectifs ? (facteurs "
        "clefs de succès du projet)\n"
        "4. Sur quels critères la réussite du projet sera-t-elle appréciée ?\n"
        "5. Quels sont les atouts et les freins/blocages/difficultés à anticiper déjà identifiés à ce stade "
        "?",
    ),
    (
        "facilitatrice",
        TOOL,
        "La note de faisabilité (livrable 3)",
        ["gouvernance"],
        False,
        ResourceStatus.PUBLISHED,
        {},
        "Définir la stratégie de mise en œuvre du projet : les quatre questions du troisième livrable.",
        "1. Quels sont les moyens humains, techniques et financiers à mobiliser en interne ?\n"
        "2. Quels sont les moyens humains, techniques et financiers à solliciter en externe ?\n"
        "3. Quelles sont les principales étapes et livrables du projet ?\n"
        "4. Quels sont les rôles et responsabilités des parties prenantes mobilisées pour la réalisation du "
        "projet ?",
    ),
    (
        "facilitatrice",
        TOOL,
        "La sélection des acteurs",
        ["cooperation-management"],
        False,
        ResourceStatus.PUBLISHED,
        {},
        "Après les trois livrables, choisir les acteurs que le projet mobilise.",
        "Une fois la note de faisabilité validée, l'équipe choisit les acteurs que le projet mobilise, en "
        "s'appuyant sur la carte des acteurs et sur les quatre familles des « 4 Fantastiques ».",
    ),
    (
        "agent",
        EXPERIENCE,
        "Pôle Territorial (Tarn) : le management des organisations par la coopération",
        ["cooperation-management", "gouvernance"],
        True,
        ResourceStatus.PUBLISHED,
        {},
        "Le projet pilote d'un territoire rural du Tarn — 5 EPCI, 100 communes, 59 500 habitants — "
        "accompagné "
        "par La Fabrique des Transitions depuis 2021.",
        "Un diagnostic initial de la capacité à porter et piloter une transition systémique a révélé deux "
        "visions contradictoires du Pôle : une couche administrative de plus, ou une échelle cohérente pour "
        "mutualiser des moyens, si elle se fonde sur la coopération.\n\n"
        "Trois catégories d'acteurs détiennent des clés de la coopération : les technicien·nes, les DGS et "
        "les "
        "élu·es. Un protocole expérimental entre pairs a été conduit.\n\n"
        "Les effets : + le groupe des agents s'est approprié l'exercice ; − le groupe des DGS n'a jamais "
        "vraiment « pris » ; + un argumentaire partagé et détaillé des agents ; − pas de vision partagée des "
        "élu·es ni des DGS.",
    ),
    (
        "agent",
        EXPERIENCE,
        "Du PCET au PCAET : la trajectoire de transition du Pôle Territorial",
        ["energie", "gouvernance"],
        True,
        ResourceStatus.PUBLISHED,
        {},
        "Depuis 2007/2008, des stratégies et des plans sectoriels, deux bascules, et une ingénierie qui "
        "cherche à ne plus dépendre des appels à projets.",
        "Depuis 2007/2008 : transitions et innovation environnementale ; de nombreux plans (PCET, plateforme "
        "rénovation, TEPOS, PAT…). Le constat : des actions sectorielles, pas de transition globale ; des "
        "projets qui meurent avec la fin de leur financement (plateforme de la réno, CEP…) ; « une logique "
        "d'opportunité d'appel à projet » ; une ingénierie « subventiono-dépendante ».\n\n"
        "2017/2018, première bascule : le PCAET ; les communautés de communes prennent la main.\n\n"
        "2021, deuxième bascule : l'accompagnement de La Fabrique des Transitions — approche systémique et "
        "transversalité, organisation des équipes techniques, pratiques managériales.",
    ),
    (
        "agent",
        EXPERIENCE,
        "Former 40 managers au management par la coopération",
        ["cooperation-management"],
        True,
        ResourceStatus.PUBLISHED,
        {"credits": "Avec le CNFPT"},
        "Une formation territoriale de 5 jours pour les 40 managers des 5 communautés de communes, et des "
        "sensibilisations pour 70 élu·es et agents.",
        "Un cycle de 5 jours sur le management par la coopération, avec le CNFPT, pour 40 managers des cinq "
        "communautés de communes.\n\n"
        "Des sessions de sensibilisation ont réuni 70 élu·es et agents.",
    ),
    (
        "agent",
        EXPERIENCE,
        "Les groupes de pairs inter-EPCI",
        ["cooperation-management", "gouvernance"],
        True,
        ResourceStatus.PUBLISHED,
        {},
        "Chargé·es de communication, Petites Villes de Demain, Climat-PCAET, DGS, agents techniques, offices "
        "de tourisme : des réseaux de pairs entre les cinq EPCI.",
        "Des groupes et réseaux de pairs inter-EPCI se sont constitués : chargé·es de communication, Petites "
        "Villes de Demain, Climat-PCAET, DGS, agents techniques, offices de tourisme…\n\n"
        "Ils ont conduit à un projet opérationnel co-construit à l'échelle des cinq EPCI, et des EPCI ont "
        "changé leur organisation interne.",
    ),
    (
        "dgs",
        EXPERIENCE,
        "Ce que le groupe des DGS nous a appris",
        ["cooperation-management"],
        True,
        ResourceStatus.PUBLISHED,
        {"members_only": True},
        "Un retour franc, réservé aux membres de l'alliance, sur l'espace des DGS du protocole entre pairs.",
        "Le groupe des DGS n'a jamais vraiment « pris » ; il n'en est pas ressorti de vision partagée. Ce "
        "retour dit pourquoi, et ce que nous ferions autrement.",
    ),
    (
        "admin",
        PUBLICATION,
        "La charte de l'alliance",
        ["gouvernance"],
        False,
        ResourceStatus.PUBLISHED,
        {"credits": "La Fabrique des Transitions"},
        "Le préambule et les engagements que signent les allié·es de La Fabrique des Transitions.",
        "« Nous, acteur·ices divers·es engagé·es dans la transition des territoires, pensons que le temps "
        "est "
        "venu d'unir nos forces, nos expériences, notre énergie pour contribuer à un changement d'échelle… "
        "»\n\n"
        "Constituer une communauté apprenante pour enrichir un patrimoine commun. Proposer ensemble des "
        "changements de modèles. Mettre ce patrimoine au service des transitions. Favoriser le déploiement "
        "d'une ingénierie de la conduite de changement systémique.",
    ),
    (
        "admin",
        PUBLICATION,
        "La Fabrique des Transitions, un outil de transfert",
        ["gouvernance"],
        False,
        ResourceStatus.PUBLISHED,
        {"credits": "La Fabrique des Transitions"},
        "Une alliance transpartisane de territoires et de réseaux, fondée en 2021, « un outil de transfert "
        "issu de territoires pionniers, qui vise le changement d'échelle ».",
        "Les allié·es sont des organisations — collectivités, réseaux, associations de professionnels, "
        "bureaux d'études, centres de recherche, entreprises et structures de l'ESS, collectifs citoyens, "
        "médias — ou des personnes, unies par une charte.",
    ),
    (
        "admin",
        EVENT,
        "Le festival Explore Demain",
        ["gouvernance", "cooperation-management"],
        False,
        ResourceStatus.PUBLISHED,
        {"starts_on": date(FESTIVAL_YEAR, 5, 17), "ends_on": date(FESTIVAL_YEAR, 5, 25)},
        "Le festival de l'alliance, du 17 au 25 mai.",
        "Neuf jours pour explorer les transitions des territoires avec les allié·es de La Fabrique des "
        "Transitions.",
    ),
    (
        "elu",
        EXPERIENCE,
        "L'interpellation tripartite vue par une élue",
        ["gouvernance"],
        True,
        ResourceStatus.REVIEW,
        {},
        "Ce que les propositions croisées des agents et des DGS ont changé pour les élu·es du Pôle.",
        "Les propositions des deux espaces de pairs sont montées jusqu'aux élu·es : la phase "
        "d'interpellation "
        "tripartite.",
    ),
    (
        "agent",
        TOOL,
        "Organiser une session de sensibilisation",
        ["cooperation-management"],
        True,
        ResourceStatus.DRAFT,
        {},
        "Le déroulé des sessions qui ont réuni 70 élu·es et agents du Pôle.",
        "",
    ),
]


def seed_library(*, admin, users):
    """About twenty resources, most published, one under review, one draft. Idempotent by title."""
    pilot = Territory.objects.filter(name=PILOT_NAME).first()
    with transaction.atomic():
        for key, kind, title, themes, from_pilot, status, extra, summary, body in RESOURCES:
            if Resource.objects.filter(title=title).exists():
                continue
            author = admin if key == "admin" else users[key]
            resource = resource_create(
                actor=author,
                fields={"title": title, "kind": kind, "summary": summary, "body": body, **extra},
                themes=list(Theme.objects.filter(slug__in=themes)),
                territories=[pilot] if from_pilot and pilot else [],
            )
            if status in (ResourceStatus.REVIEW, ResourceStatus.PUBLISHED):
                resource = resource_submit(actor=author, resource=resource)
            if status == ResourceStatus.PUBLISHED:
                resource_publish(actor=admin, resource=resource)
