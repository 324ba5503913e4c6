"""Workflows of peer groups and of the tripartite interpellation."""

import re

from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core import french
from core.audit import audit
from core.errors import DomainError
from notifications.services import notify
from territories.models import TeamMember, TeamRole

from .access import can_create_group, managed_territories
from .models import (
    Attachment,
    Contribution,
    ContributionStatus,
    Crossing,
    GroupMember,
    GroupRole,
    JoinDirection,
    JoinRequest,
    JoinStatus,
    JointProposal,
    Meeting,
    PeerGroup,
    Post,
    ProposalAgreement,
    ProposalAnswer,
    ProposalStatus,
    Scope,
    Thread,
)
from .selectors import elus_of


def _facilitators(group):
    return [m.user for m in group.memberships.filter(role=GroupRole.FACILITATOR).select_related("user")]


def _members(*groups):
    return list(User.objects.filter(peer_groups__group__in=groups, is_active=True).distinct())


def _is_member(user, group) -> bool:
    return GroupMember.objects.filter(group=group, user=user).exists()


def _is_facilitator(user, group) -> bool:
    return GroupMember.objects.filter(group=group, user=user, role=GroupRole.FACILITATOR).exists()


# --- Groups and their members -----------------------------------------------------------------------------


def group_create(
    *, actor, name, kind, scope, territory=None, epcis=(), description="", is_listed=False, article=""
) -> PeerGroup:
    """Alliance admins and platform facilitators create any group; a territory's managers, groups scoped to
    their territory. The creator animates the group."""
    if not can_create_group(actor):
        raise DomainError(_("Vous ne pouvez pas créer de groupe de pairs."))
    if not (actor.is_alliance_admin or actor.is_facilitator) and (
        scope != Scope.TERRITORY
        or territory is None
        or not managed_territories(actor).filter(pk=territory.pk).exists()
    ):
        raise DomainError(_("Vous pouvez créer un groupe pour un territoire que vous gérez seulement."))
    if scope == Scope.TERRITORY and territory is None:
        raise DomainError(_("Choisissez le territoire du groupe."))
    epcis = list(epcis)
    if scope == Scope.EPCIS and len(epcis) < 2:
        raise DomainError(_("Un groupe inter-EPCI réunit au moins deux EPCI."))
    with transaction.atomic():
        group = PeerGroup.objects.create(
            name=name,
            article=article,
            kind=kind,
            scope=scope,
            territory=territory if scope != Scope.ALLIANCE else None,
            description=description,
            is_listed=is_listed,
            created_by=actor,
        )
        if scope == Scope.EPCIS:
            group.epcis.set(epcis)
        GroupMember.objects.create(group=group, user=actor, role=GroupRole.FACILITATOR)
        audit(actor=actor, action="peer_group.create", target=group, scope=scope)
    return group


def group_update(*, actor, group, name, description, is_listed, article=None) -> PeerGroup:
    if not _is_facilitator(actor, group):
        raise DomainError(_("Seul·es les animateur·ices du groupe le modifient."))
    with transaction.atomic():
        group.name, group.description, group.is_listed = name, description, is_listed
        if article is not None:
            group.article = article
        group.save(update_fields=["name", "article", "description", "is_listed"])
        audit(actor=actor, action="peer_group.update", target=group, is_listed=is_listed)
    return group


def join_request_create(*, actor, group, message="") -> JoinRequest:
    if not group.is_listed:
        raise DomainError(_("Ce groupe n'accueille que des personnes invitées."))
    if _is_member(actor, group):
        raise DomainError(_("Vous faites déjà partie de ce groupe."))
    try:
        with transaction.atomic():
            join = JoinRequest.objects.create(
                group=group, user=actor, direction=JoinDirection.REQUEST, message=message
            )
            audit(actor=actor, action="peer_group.join_request", target=group)
            notify(
                kind="cooperation.join",
                recipients=_facilitators(group),
                actor=actor,
                message="cooperation.join_request",
                params={"name": actor.get_full_name(), "group": group.name},
                url=reverse("cooperation:members", args=[group.pk]) + "#demandes",
                excerpt=message,
            )
    except IntegrityError as exc:
        raise DomainError(
            _("Une demande ou une invitation est déjà en attente pour vous dans ce groupe.")
        ) from exc
    return join


def _decide(*, actor, join, accept, action):
    with transaction.atomic():
        join = JoinRequest.objects.select_for_update().get(pk=join.pk)
        if join.status != JoinStatus.PENDING:
            raise DomainError(_("Cette demande a déjà reçu une réponse."))
        join.status = JoinStatus.ACCEPTED if accept else JoinStatus.DECLINED
        join.decided_by, join.decided_at = actor, timezone.now()
        join.save(update_fields=["status", "decided_by", "decided_at"])
        if accept:
            GroupMember.objects.get_or_create(group=join.group, user=join.user, defaults={"role": join.role})
        audit(actor=actor, action=action, target=join.group, person=join.user.email, accepted=accept)
    return join


def join_request_decide(*, actor, join, accept: bool) -> JoinRequest:
    if join.direction != JoinDirection.REQUEST or not _is_facilitator(actor, join.group):
        raise DomainError(_("Seul·es les animateur·ices du groupe répondent aux demandes."))
    join = _decide(actor=actor, join=join, accept=accept, action="peer_group.join_decide")
    if accept:
        notify(
            kind="cooperation.join",
            recipients=[join.user],
            actor=actor,
            message="cooperation.joined",
            params={"group": join.group.name},
            url=join.group.get_absolute_url(),
        )
    return join


def member_invite(*, actor, group, email: str, role=GroupRole.MEMBER) -> JoinRequest:
    if not _is_facilitator(actor, group):
        raise DomainError(_("Seul·es les animateur·ices du groupe invitent."))
    person = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
    if person is None:
        raise DomainError(
            _("Aucun compte n'utilise l'adresse %(email)s : la personne doit d'abord créer son compte.")
            % {"email": email}
        )
    if _is_member(person, group):
        raise DomainError(_("%(name)s fait déjà partie du groupe.") % {"name": person.get_full_name()})
    try:
        with transaction.atomic():
            invitation = JoinRequest.objects.create(
                group=group, user=person, direction=JoinDirection.INVITATION, role=role, invited_by=actor
            )
            audit(actor=actor, action="peer_group.invite", target=group, person=person.email, role=role)
            notify(
                kind="cooperation.join",
                recipients=[person],
                actor=actor,
                message="cooperation.invited",
                params={"name": actor.get_full_name(), "group": group.name},
                url=group.get_absolute_url(),
            )
    except IntegrityError as exc:
        raise DomainError(
            _("Une demande ou une invitation est déjà en attente pour %(name)s.")
            % {"name": person.get_full_name()}
        ) from exc
    return invitation


def invitation_answer(*, actor, invitation, accept: bool) -> JoinRequest:
    if invitation.direction != JoinDirection.INVITATION or invitation.user_id != actor.pk:
        raise DomainError(_("Cette invitation ne vous est pas adressée."))
    return _decide(actor=actor, join=invitation, accept=accept, action="peer_group.invitation_answer")


def membership_follow(*, actor, group, follows: bool) -> GroupMember:
    membership = GroupMember.objects.filter(group=group, user=actor).first()
    if membership is None:
        raise DomainError(_("Vous ne faites pas partie de ce groupe."))
    membership.follows = follows
    membership.save(update_fields=["follows"])
    return membership


def membership_leave(*, actor, group) -> None:
    """The actor leaves the group. What they wrote stays; a group is never left without an animateur·ice."""
    with transaction.atomic():
        # Locked: two last animateur·ices leaving at once would otherwise both see the other one stay.
        PeerGroup.objects.select_for_update().get(pk=group.pk)
        membership = GroupMember.objects.filter(group=group, user=actor).first()
        if membership is None:
            raise DomainError(_("Vous ne faites pas partie de ce groupe."))
        if (
            membership.is_facilitator
            and not group.memberships.filter(role=GroupRole.FACILITATOR).exclude(pk=membership.pk).exists()
        ):
            raise DomainError(
                _(
                    "Vous êtes le·la seul·e animateur·ice de ce groupe : invitez un·e autre animateur·ice "
                    "avant de le quitter."
                )
            )
        membership.delete()
        audit(actor=actor, action="peer_group.leave", target=group, role=membership.role)
        notify(
            kind="cooperation.join",
            recipients=_facilitators(group),
            actor=actor,
            message="cooperation.left",
            params={"name": actor.get_full_name(), "group": group.name},
            url=reverse("cooperation:members", args=[group.pk]),
        )


# --- Discussions ------------------------------------------------------------------------------------------


def _mentioned(group, body: str):
    """The members named after an @ in the text (`@Antoine Agent`), longest names first so that a name
    that begins another is not taken for it."""
    members = sorted(
        (m.user for m in group.memberships.select_related("user")),
        key=lambda u: len(u.get_full_name()),
        reverse=True,
    )
    found, rest = [], body
    for user in members:
        pattern = re.compile(r"@" + re.escape(user.get_full_name()) + r"(?!\w)", re.IGNORECASE)
        if pattern.search(rest):
            found.append(user)
            rest = pattern.sub("", rest)
    return found


def _post(*, actor, thread, body, files):
    post = Post.objects.create(thread=thread, author=actor, body=body)
    mentioned = _mentioned(thread.group, body)
    post.mentions.set(mentioned)
    for upload in files:
        Attachment.objects.create(post=post, file=upload, original_name=upload.name[:255], size=upload.size)
    followers = [
        m.user
        for m in thread.group.memberships.filter(follows=True).select_related("user")
        if m.user not in mentioned
    ]
    return post, followers, mentioned


def _notify_post(*, actor, thread, post, followers, mentioned, message, params):
    url = f"{thread.get_absolute_url()}#message-{post.pk}"
    notify(
        kind="cooperation.post",
        recipients=followers,
        actor=actor,
        message=message,
        params=params,
        url=url,
        excerpt=post.body,
    )
    notify(
        kind="cooperation.mention",
        recipients=mentioned,
        actor=actor,
        message="cooperation.mention",
        params={"name": actor.get_full_name(), "thread": thread.title},
        url=url,
        excerpt=post.body,
    )


def thread_create(*, actor, group, title, body, files=()) -> Thread:
    if not _is_member(actor, group):
        raise DomainError(_("Seul·es les membres du groupe y ouvrent une discussion."))
    with transaction.atomic():
        thread = Thread.objects.create(group=group, title=title, author=actor, post_count=1)
        post, followers, mentioned = _post(actor=actor, thread=thread, body=body, files=files)
        audit(actor=actor, action="thread.create", target=thread, group=group.pk)
        _notify_post(
            actor=actor,
            thread=thread,
            post=post,
            followers=followers,
            mentioned=mentioned,
            message="cooperation.thread",
            params={"group": group.name, "thread": title},
        )
    return thread


def post_reply(*, actor, thread, body, files=()) -> Post:
    if not _is_member(actor, thread.group):
        raise DomainError(_("Seul·es les membres du groupe y répondent."))
    with transaction.atomic():
        post, followers, mentioned = _post(actor=actor, thread=thread, body=body, files=files)
        Thread.objects.filter(pk=thread.pk).update(
            post_count=F("post_count") + 1, last_post_at=post.created_at
        )
        audit(actor=actor, action="thread.reply", target=thread, post=post.pk)
        _notify_post(
            actor=actor,
            thread=thread,
            post=post,
            followers=followers,
            mentioned=mentioned,
            message="cooperation.reply",
            params={"name": actor.get_full_name(), "thread": thread.title},
        )
    return post


# --- Meetings ---------------------------------------------------------------------------------------------


def _attendees_of(group, attendees):
    allowed = set(group.memberships.values_list("user_id", flat=True))
    if any(user.pk not in allowed for user in attendees):
        raise DomainError(_("Seul·es les membres du groupe peuvent être noté·es présent·es."))
    return attendees


def meeting_save(*, actor, group, meeting=None, attendees=(), **fields) -> Meeting:
    if not _is_member(actor, group):
        raise DomainError(_("Seul·es les membres du groupe organisent ses réunions."))
    attendees = _attendees_of(group, list(attendees))
    with transaction.atomic():
        creating = meeting is None
        meeting = meeting or Meeting(group=group, created_by=actor)
        for name, value in fields.items():
            setattr(meeting, name, value)
        meeting.save()
        meeting.attendees.set(attendees)
        audit(actor=actor, action="meeting.create" if creating else "meeting.update", target=meeting)
    return meeting


def meeting_cancel(*, actor, meeting: Meeting, cancel: bool = True) -> Meeting:
    """Cancel a meeting (or restore a cancelled one): it stays listed, marked, and agendas are told."""
    if not _is_member(actor, meeting.group):
        raise DomainError(_("Seul·es les membres du groupe organisent ses réunions."))
    with transaction.atomic():
        locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if (locked.cancelled_at is not None) == cancel:
            raise DomainError(
                _("Cette réunion est déjà annulée.") if cancel else _("Cette réunion n'est pas annulée.")
            )
        locked.cancelled_at = timezone.now() if cancel else None
        locked.save(update_fields=["cancelled_at"])
        audit(actor=actor, action="meeting.cancel" if cancel else "meeting.restore", target=locked)
    return locked


# --- The group's work -------------------------------------------------------------------------------------


def contribution_create(*, actor, group, kind, title, body) -> Contribution:
    if not _is_member(actor, group):
        raise DomainError(_("Seul·es les membres du groupe rédigent ses travaux."))
    with transaction.atomic():
        contribution = Contribution.objects.create(
            group=group, kind=kind, title=title, body=body, created_by=actor, updated_by=actor
        )
        audit(actor=actor, action="contribution.create", target=contribution, kind=kind)
    return contribution


def contribution_update(*, actor, contribution, kind, title, body) -> Contribution:
    if not _is_member(actor, contribution.group):
        raise DomainError(_("Seul·es les membres du groupe rédigent ses travaux."))
    with transaction.atomic():
        contribution = Contribution.objects.select_for_update().get(pk=contribution.pk)
        if contribution.status != ContributionStatus.DRAFT:
            raise DomainError(_("Ce texte a été validé par le groupe : il ne change plus."))
        contribution.kind, contribution.title, contribution.body = kind, title, body
        contribution.updated_by = actor
        contribution.save()
        audit(actor=actor, action="contribution.update", target=contribution)
    return contribution


def contribution_agree(*, actor, contribution) -> Contribution:
    """Record that the group agreed on the text, as noted by one of its members."""
    if not _is_member(actor, contribution.group):
        raise DomainError(_("Seul·es les membres du groupe valident ses travaux."))
    with transaction.atomic():
        contribution = Contribution.objects.select_for_update().get(pk=contribution.pk)
        if contribution.status != ContributionStatus.DRAFT:
            raise DomainError(_("Ce texte est déjà validé par le groupe."))
        contribution.status = ContributionStatus.AGREED
        contribution.agreed_by, contribution.agreed_at = actor, timezone.now()
        contribution.save(update_fields=["status", "agreed_by", "agreed_at"])
        audit(actor=actor, action="contribution.agree", target=contribution)
    return contribution


# --- Croisements and the interpellation -------------------------------------------------------------------


def crossing_create(*, actor, group, other, title, addressee_body="") -> Crossing:
    """An animateur·ice of a group opens a croisement with another group; it interpellates the territory of
    one of them."""
    if not _is_facilitator(actor, group):
        raise DomainError(_("Seul·es les animateur·ices du groupe ouvrent un croisement."))
    if other.pk == group.pk:
        raise DomainError(_("Un croisement réunit deux groupes différents."))
    territory = group.territory or other.territory
    if territory is None:
        raise DomainError(
            _(
                "Un croisement interpelle les élu·es d'un territoire : "
                "l'un des deux groupes doit y être rattaché."
            )
        )
    if Crossing.objects.filter(group_a__in=[group, other], group_b__in=[group, other]).exists():
        raise DomainError(_("Ces deux groupes ont déjà un croisement."))
    with transaction.atomic():
        crossing = Crossing.objects.create(
            title=title,
            group_a=group,
            group_b=other,
            territory=territory,
            addressee_body=addressee_body,
            created_by=actor,
        )
        audit(actor=actor, action="crossing.create", target=crossing, groups=[group.pk, other.pk])
        notify(
            kind="cooperation.crossing",
            recipients=_members(group, other),
            actor=actor,
            message="cooperation.crossing",
            params={"a": group.name, "b": other.name},
            url=crossing.get_absolute_url(),
        )
    return crossing


def crossing_share(*, actor, crossing, contribution) -> Crossing:
    """A group puts one of its agreed texts into the croisement, for the other group to read."""
    if contribution.group_id not in (crossing.group_a_id, crossing.group_b_id):
        raise DomainError(_("Ce texte n'appartient à aucun des deux groupes du croisement."))
    if not _is_member(actor, contribution.group):
        raise DomainError(_("Seul·es les membres du groupe partagent ses travaux."))
    if contribution.status != ContributionStatus.AGREED:
        raise DomainError(_("Seul un texte validé par le groupe se partage dans le croisement."))
    with transaction.atomic():
        crossing.shared_contributions.add(contribution)
        audit(actor=actor, action="crossing.share", target=crossing, contribution=contribution.pk)
    return crossing


def proposal_create(*, actor, crossing, title, body, source=None) -> JointProposal:
    if not (_is_member(actor, crossing.group_a) or _is_member(actor, crossing.group_b)):
        raise DomainError(_("Seul·es les membres des deux groupes rédigent les propositions communes."))
    with transaction.atomic():
        proposal = JointProposal.objects.create(
            crossing=crossing, title=title, body=body, source=source, created_by=actor
        )
        audit(actor=actor, action="proposal.create", target=proposal)
    return proposal


def proposal_agree(*, actor, proposal, group) -> JointProposal:
    """One group records its agreement (who, when); once both have, the proposal is shared ("partagée")."""
    crossing = proposal.crossing
    if group.pk not in (crossing.group_a_id, crossing.group_b_id):
        raise DomainError(_("Ce groupe ne participe pas à ce croisement."))
    if not _is_member(actor, group):
        raise DomainError(_("Seul·es les membres du groupe enregistrent son accord."))
    with transaction.atomic():
        proposal = JointProposal.objects.select_for_update().get(pk=proposal.pk)
        if proposal.agreements.filter(group=group).exists():
            raise DomainError(_("Le groupe « %(group)s » a déjà donné son accord.") % {"group": group.name})
        ProposalAgreement.objects.create(proposal=proposal, group=group, agreed_by=actor)
        if proposal.agreements.count() >= 2:
            proposal.status, proposal.shared_at = ProposalStatus.SHARED, timezone.now()
        else:
            proposal.status = ProposalStatus.AGREED_BY_ONE
        proposal.save(update_fields=["status", "shared_at"])
        audit(actor=actor, action="proposal.agree", target=proposal, group=group.pk)
    return proposal


def proposal_address(*, actor, proposal) -> JointProposal:
    """The interpellation: a shared proposal goes to the élus of the territory."""
    crossing = proposal.crossing
    if not (_is_member(actor, crossing.group_a) or _is_member(actor, crossing.group_b)):
        raise DomainError(_("Seul·es les membres des deux groupes adressent leurs propositions."))
    elus = elus_of(crossing.territory)
    if not elus:
        raise DomainError(
            _("L'équipe %(of_territory)s ne compte aucun·e élu·e : invitez-les avant de les interpeller.")
            % {"of_territory": french.of(crossing.territory)}
        )
    with transaction.atomic():
        proposal = JointProposal.objects.select_for_update().get(pk=proposal.pk)
        if proposal.status != ProposalStatus.SHARED:
            raise DomainError(
                _(
                    "Seule une proposition partagée par les deux groupes, et pas encore adressée, "
                    "s'adresse aux élu·es."
                )
            )
        proposal.status, proposal.addressed_at, proposal.addressed_by = (
            ProposalStatus.ADDRESSED,
            timezone.now(),
            actor,
        )
        proposal.save(update_fields=["status", "addressed_at", "addressed_by"])
        audit(actor=actor, action="proposal.address", target=proposal, territory=crossing.territory_id)
        notify(
            kind="cooperation.addressed",
            recipients=elus,
            actor=actor,
            message="cooperation.addressed",
            params={"title": proposal.title},
            url=proposal.get_absolute_url(),
            excerpt=proposal.body,
        )
    return proposal


def proposal_answer(*, actor, proposal, decision, response) -> ProposalAnswer:
    crossing = proposal.crossing
    if not TeamMember.objects.filter(territory=crossing.territory, user=actor, role=TeamRole.ELU).exists():
        raise DomainError(_("Seul·es les élu·es du territoire interpellé répondent."))
    with transaction.atomic():
        proposal = JointProposal.objects.select_for_update().get(pk=proposal.pk)
        if proposal.status == ProposalStatus.ANSWERED:
            raise DomainError(_("Cette proposition a déjà reçu la réponse des élu·es."))
        if proposal.status != ProposalStatus.ADDRESSED:
            raise DomainError(_("Cette proposition n'est pas encore adressée aux élu·es."))
        answer = ProposalAnswer.objects.create(
            proposal=proposal, decision=decision, response=response, answered_by=actor
        )
        proposal.status, proposal.answered_at = ProposalStatus.ANSWERED, answer.answered_at
        proposal.save(update_fields=["status", "answered_at"])
        audit(actor=actor, action="proposal.answer", target=proposal, decision=decision)
        notify(
            kind="cooperation.answered",
            recipients=_members(crossing.group_a, crossing.group_b),
            actor=actor,
            message="cooperation.answered",
            params={"title": proposal.title, "decision": answer.decision},
            url=proposal.get_absolute_url(),
            excerpt=response,
        )
    return answer
