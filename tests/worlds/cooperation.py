"""The cooperation app's part of the test world: the pilot's agents' space (private) and DGS space (listed),
a croisement between them and a proposal addressed to the territory's élu."""

from django.core.files.uploadedfile import SimpleUploadedFile

from cooperation import services
from cooperation.models import ContributionKind, GroupKind, GroupRole, Scope
from core.french import Article


def build(world):
    users = world.users
    facilitator = users["facilitator"]
    world.agents_group = services.group_create(
        actor=facilitator,
        name="Espace des agents du Pôle",
        article=Article.L_M,
        kind=GroupKind.objects.get(name="Espace des agents & chargés de mission"),
        scope=Scope.TERRITORY,
        territory=world.territory,
    )
    world.dgs_group = services.group_create(
        actor=facilitator,
        name="Espace des DGS du Pôle",
        article=Article.L_M,
        kind=GroupKind.objects.get(name="Espace des DGS"),
        scope=Scope.TERRITORY,
        territory=world.territory,
        is_listed=True,
    )
    services.member_invite(actor=facilitator, group=world.agents_group, email=users["agent"].email)
    services.invitation_answer(
        actor=users["agent"],
        invitation=world.agents_group.join_requests.get(user=users["agent"]),
        accept=True,
    )
    services.member_invite(actor=facilitator, group=world.dgs_group, email=users["dgs"].email)
    services.invitation_answer(
        actor=users["dgs"], invitation=world.dgs_group.join_requests.get(user=users["dgs"]), accept=True
    )
    # Pending on the listed DGS group: the outsider's request and an invitation to the élu.
    world.group_join_request = services.join_request_create(actor=users["outsider"], group=world.dgs_group)
    world.group_invitation = services.member_invite(
        actor=facilitator, group=world.dgs_group, email=users["elu"].email, role=GroupRole.MEMBER
    )

    world.group_thread = services.thread_create(
        actor=users["agent"],
        group=world.agents_group,
        title="Organisation du travail en équipe",
        body="Comment partager nos plans de charge ?",
        files=[SimpleUploadedFile("ordre-du-jour.txt", b"Points a aborder\n", content_type="text/plain")],
    )
    world.post_attachment = world.group_thread.posts.get().attachments.get()
    world.group_meeting = services.meeting_save(
        actor=facilitator,
        group=world.agents_group,
        title="Séance de lancement",
        starts_at="2026-03-02T14:00:00+01:00",
        place="Salle du Pôle, Carmaux",
        agenda="Tour de table.",
    )
    world.group_contribution = services.contribution_create(
        actor=users["agent"],
        group=world.agents_group,
        kind=ContributionKind.PROPOSAL,
        title="Des temps d'échange entre EPCI",
        body="Un temps d'échange mensuel entre les équipes des cinq EPCI.",
    )
    world.crossing = services.crossing_create(
        actor=facilitator, group=world.agents_group, other=world.dgs_group, title="Croisement agents–DGS"
    )
    proposal = services.proposal_create(
        actor=users["agent"],
        crossing=world.crossing,
        title="Un séminaire annuel des équipes",
        body="Réunir chaque année les équipes techniques des cinq EPCI.",
    )
    services.proposal_agree(actor=users["agent"], proposal=proposal, group=world.agents_group)
    services.proposal_agree(actor=users["dgs"], proposal=proposal, group=world.dgs_group)
    world.joint_proposal = services.proposal_address(actor=users["agent"], proposal=proposal)
