"""Demo data of cooperation: the Tarn pilot's experimental peer protocol (DOMAIN.md §3).

An agents' space and a DGS space each qualify their points of view, reveal needs and make proposals; the two
groups cross their work and agree on proposals that go up to the élus ("phase d'interpellation tripartite").
Two shared proposals are addressed to the élus; one is answered. Used by `seed_demo`, after
`seed_territories`.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from core.french import Article
from territories.demo import PILOT_NAME
from territories.models import Territory

from . import services
from .models import ContributionKind, Decision, GroupKind, JointProposal, ProposalAnswer, Scope

AGENTS_GROUP = "Espace des agents & chargés de mission du Pôle"
DGS_GROUP = "Espace des DGS du Pôle"

AGENTS_WORK = [
    (
        ContributionKind.VIEW,
        "Le Pôle, une échelle cohérente si elle est fondée sur la coopération",
        "Pour nous, le Pôle n'est pas un échelon de plus : c'est l'échelle où mutualiser des moyens que "
        "chaque communauté de communes n'a pas seule, à condition de travailler en coopération.",
    ),
    (
        ContributionKind.NEED,
        "Du temps de travail partagé entre les équipes des cinq EPCI",
        "Les projets meurent avec la fin de leur financement : nous avons besoin de temps réguliers entre "
        "équipes techniques pour porter la transition au-delà des appels à projets.",
    ),
    (
        ContributionKind.PROPOSAL,
        "Un cycle de formation au management par la coopération",
        "Former les encadrant·es des cinq communautés de communes au management par la coopération, sur un "
        "cycle de cinq jours construit avec le CNFPT.",
    ),
    (
        ContributionKind.PROPOSAL,
        "Des réseaux de pairs inter-EPCI",
        "Réunir régulièrement les chargé·es de communication, Petites Villes de Demain, Climat-PCAET, les "
        "agents techniques et les offices de tourisme des cinq EPCI.",
    ),
]
DGS_WORK = [
    (
        ContributionKind.VIEW,
        "Le risque d'un échelon administratif supplémentaire",
        "Vu des communautés de communes, le Pôle peut être vécu comme une couche administrative de plus : "
        "ce qu'il apporte à chacune doit être explicite.",
    ),
    (
        ContributionKind.NEED,
        "Clarifier ce que le Pôle apporte à chaque communauté de communes",
        "Un mandat clair du Pôle, discuté entre DGS, avant d'engager les équipes dans de nouveaux chantiers.",
    ),
]
# Title, body, answered (decision, response) or None: the first is answered, the second still waits.
PROPOSALS = [
    (
        "Un cycle de formation au management par la coopération",
        "Les agents et les DGS proposent un cycle de cinq jours, avec le CNFPT, pour les 40 encadrant·es des "
        "cinq communautés de communes.",
        (
            Decision.ADOPTED,
            "Le comité syndical retient le cycle de formation : il sera organisé avec le CNFPT pour les 40 "
            "encadrant·es, et complété de sessions de sensibilisation pour les élu·es et les agents.",
        ),
    ),
    (
        "Des réseaux de pairs inter-EPCI",
        "Ouvrir des réseaux de pairs à l'échelle des cinq EPCI (communication, Petites Villes de Demain, "
        "Climat-PCAET, agents techniques, offices de tourisme), animés à tour de rôle.",
        None,
    ),
]


def _group(*, name, kind, territory, facilitator, members, description):
    group = services.group_create(
        actor=facilitator,
        name=name,
        article=Article.L_M,  # « l'Espace des… », « de l'Espace des… »
        kind=GroupKind.objects.get(name=kind),
        scope=Scope.TERRITORY,
        territory=territory,
        description=description,
    )
    for member in members:
        invitation = services.member_invite(actor=facilitator, group=group, email=member.email)
        services.invitation_answer(actor=member, invitation=invitation, accept=True)
    return group


def _work(group, author, items):
    texts = []
    for kind, title, body in items:
        text = services.contribution_create(actor=author, group=group, kind=kind, title=title, body=body)
        texts.append(services.contribution_agree(actor=author, contribution=text))
    return texts


def seed_cooperation(*, users):
    """Idempotent: nothing is added once the pilot's agents' space exists.

    `users` are seed_demo's accounts by the local part of their e-mail: agent, dgs, elu, facilitatrice.
    """
    territory = Territory.objects.filter(name=PILOT_NAME).first()
    if territory is None or territory.peer_groups.filter(name=AGENTS_GROUP).exists():
        return
    agent, dgs, elu, facilitator = users["agent"], users["dgs"], users["elu"], users["facilitatrice"]
    with transaction.atomic():
        agents = _group(
            name=AGENTS_GROUP,
            kind="Espace des agents & chargés de mission",
            territory=territory,
            facilitator=facilitator,
            members=[agent],
            description="L'espace entre pairs des agents et chargé·es de mission "
            "des cinq communautés de communes.",
        )
        dgs_group = _group(
            name=DGS_GROUP,
            kind="Espace des DGS",
            territory=territory,
            facilitator=facilitator,
            members=[dgs],
            description="L'espace entre pairs des directeur·ices généraux·ales des services des cinq EPCI.",
        )
        agents_texts = _work(agents, agent, AGENTS_WORK)
        dgs_texts = _work(dgs_group, dgs, DGS_WORK)
        services.thread_create(
            actor=agent,
            group=agents,
            title="Préparer le croisement avec les DGS",
            body="Quelles propositions portons-nous au croisement ? @Fanny Accompagnatrice, pouvez-vous "
            "proposer une date ?",
        )
        now = timezone.now()
        services.meeting_save(
            actor=facilitator,
            group=agents,
            title="Séance de qualification des points de vue",
            starts_at=now - timedelta(days=40),
            place="Siège du Pôle territorial",
            agenda="Nos points de vue sur le Pôle ; nos besoins ; nos propositions.",
            minutes="Le groupe s'est approprié l'exercice : quatre textes rédigés et validés.",
            attendees=[agent, facilitator],
        )
        crossing = services.crossing_create(
            actor=facilitator,
            group=agents,
            other=dgs_group,
            title="Croisement agents–DGS : le management par la coopération",
            addressee_body="Comité syndical",
        )
        for text in [*agents_texts, *dgs_texts]:
            services.crossing_share(
                actor=agent if text.group_id == agents.pk else dgs, crossing=crossing, contribution=text
            )
        for index, (title, body, answer) in enumerate(PROPOSALS):
            proposal = services.proposal_create(
                actor=agent, crossing=crossing, title=title, body=body, source=agents_texts[2 + index]
            )
            services.proposal_agree(actor=agent, proposal=proposal, group=agents)
            services.proposal_agree(actor=dgs, proposal=proposal, group=dgs_group)
            services.proposal_address(actor=dgs, proposal=proposal)
            # The demo tells a story in time: written, agreed by each group, addressed weeks ago, answered
            # after twelve days; its history lists these dates in order.
            addressed_at = now - timedelta(days=30 - 10 * index)
            JointProposal.objects.filter(pk=proposal.pk).update(
                created_at=addressed_at - timedelta(days=6), shared_at=addressed_at, addressed_at=addressed_at
            )
            for days, group in ((4, agents), (1, dgs_group)):
                proposal.agreements.filter(group=group).update(agreed_at=addressed_at - timedelta(days=days))
            if answer:
                decision, response = answer
                services.proposal_answer(actor=elu, proposal=proposal, decision=decision, response=response)
                answered_at = addressed_at + timedelta(days=12)
                JointProposal.objects.filter(pk=proposal.pk).update(answered_at=answered_at)
                ProposalAnswer.objects.filter(proposal=proposal).update(answered_at=answered_at)
