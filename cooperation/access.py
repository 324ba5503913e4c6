"""Who may see or do what in peer groups and croisements.

A group is private: only its members and its animateur·ices see inside, alliance admins included. A listed
group shows its outline (name, kind, presentation) to every signed-in person, so they can ask to join; a
person invited sees the outline of the group they are invited to. Anyone else gets a 404, whatever URL they
guess.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404

from territories.models import TeamMember, TeamRole

from .models import (
    Attachment,
    Contribution,
    Crossing,
    GroupMember,
    GroupRole,
    JoinDirection,
    JoinRequest,
    JoinStatus,
    JointProposal,
    Meeting,
    PeerGroup,
    ProposalStatus,
    Thread,
)


@dataclass(frozen=True)
class GroupRights:
    membership: GroupMember | None
    invitation: JoinRequest | None = None

    @property
    def is_member(self) -> bool:
        """Members and animateur·ices: they see inside, discuss, and draft the group's work."""
        return self.membership is not None

    @property
    def can_manage(self) -> bool:
        """Invite, answer join requests, edit the group, open a croisement: its animateur·ices."""
        return self.membership is not None and self.membership.role == GroupRole.FACILITATOR


def group_rights(user, group: PeerGroup) -> GroupRights:
    if not user.is_authenticated:
        return GroupRights(membership=None)
    membership = GroupMember.objects.filter(group=group, user=user).first()
    invitation = None
    if membership is None:
        invitation = JoinRequest.objects.filter(
            group=group, user=user, direction=JoinDirection.INVITATION, status=JoinStatus.PENDING
        ).first()
    return GroupRights(membership=membership, invitation=invitation)


def get_group_for_user(user, pk) -> tuple[PeerGroup, GroupRights]:
    """The group's outline: members, invited people, and everyone signed in for a listed group."""
    group = PeerGroup.objects.select_related("kind", "territory").filter(pk=pk).first()
    if group is None:
        raise Http404
    rights = group_rights(user, group)
    if not (rights.is_member or rights.invitation is not None or group.is_listed):
        raise Http404
    return group, rights


def get_group_for_member(user, pk) -> tuple[PeerGroup, GroupRights]:
    group, rights = get_group_for_user(user, pk)
    if not rights.is_member:
        # A listed group's existence is public, its inside is not: refused rather than hidden.
        raise PermissionDenied
    return group, rights


def get_group_for_managing(user, pk) -> tuple[PeerGroup, GroupRights]:
    group, rights = get_group_for_member(user, pk)
    if not rights.can_manage:
        raise PermissionDenied
    return group, rights


def get_thread_for_member(user, group_pk, thread_pk) -> tuple[Thread, GroupRights]:
    group, rights = get_group_for_member(user, group_pk)
    thread = Thread.objects.filter(group=group, pk=thread_pk).select_related("group", "author").first()
    if thread is None:
        raise Http404
    return thread, rights


def get_attachment_for_member(user, group_pk, attachment_pk) -> Attachment:
    """An attachment is served only to the members of the group of its post: a guessed link gives 404
    to everyone else, even for a listed group."""
    attachment = (
        Attachment.objects.filter(pk=attachment_pk, post__thread__group_id=group_pk)
        .select_related("post__thread")
        .first()
    )
    if attachment is None or not GroupMember.objects.filter(group_id=group_pk, user=user).exists():
        raise Http404
    return attachment


def get_meeting_for_member(user, group_pk, meeting_pk) -> tuple[Meeting, GroupRights]:
    group, rights = get_group_for_member(user, group_pk)
    meeting = Meeting.objects.filter(group=group, pk=meeting_pk).first()
    if meeting is None:
        raise Http404
    return meeting, rights


def get_contribution_for_member(user, group_pk, contribution_pk) -> tuple[Contribution, GroupRights]:
    group, rights = get_group_for_member(user, group_pk)
    contribution = (
        Contribution.objects.filter(group=group, pk=contribution_pk).select_related("group").first()
    )
    if contribution is None:
        raise Http404
    return contribution, rights


def get_join_request_for_managing(user, group_pk, request_pk) -> JoinRequest:
    group, _rights = get_group_for_managing(user, group_pk)
    join = JoinRequest.objects.filter(group=group, pk=request_pk, direction=JoinDirection.REQUEST).first()
    if join is None:
        raise Http404
    return join


def get_invitation_for_answering(user, group_pk, invitation_pk) -> JoinRequest:
    """Only the invited person may answer; the invitation does not exist for anyone else."""
    invitation = (
        JoinRequest.objects.filter(
            pk=invitation_pk, group_id=group_pk, direction=JoinDirection.INVITATION, user_id=user.pk
        )
        .select_related("group")
        .first()
    )
    if invitation is None:
        raise Http404
    return invitation


def can_create_group(user) -> bool:
    return user.is_authenticated and (
        user.is_alliance_admin or user.is_facilitator or managed_territories(user).exists()
    )


def managed_territories(user):
    from territories.models import Territory

    return Territory.objects.filter(team__user=user, team__is_manager=True)


# --- Croisements and their proposals ----------------------------------------------------------------------


@dataclass(frozen=True)
class CrossingRights:
    # The groups of the croisement the person belongs to, and those they animate.
    my_groups: tuple = ()
    managed_groups: tuple = ()
    is_elu: bool = False

    @property
    def is_participant(self) -> bool:
        return bool(self.my_groups)


def crossing_rights(user, crossing: Crossing) -> CrossingRights:
    if not user.is_authenticated:
        return CrossingRights()
    memberships = {
        m.group_id: m
        for m in GroupMember.objects.filter(
            user=user, group_id__in=[crossing.group_a_id, crossing.group_b_id]
        )
    }
    groups = [g for g in crossing.groups if g.pk in memberships]
    return CrossingRights(
        my_groups=tuple(groups),
        managed_groups=tuple(g for g in groups if memberships[g.pk].role == GroupRole.FACILITATOR),
        is_elu=TeamMember.objects.filter(
            territory_id=crossing.territory_id, user=user, role=TeamRole.ELU
        ).exists(),
    )


def get_crossing_for_user(user, pk) -> tuple[Crossing, CrossingRights]:
    """Only the members of its two groups see inside a croisement."""
    crossing = Crossing.objects.select_related("group_a", "group_b", "territory").filter(pk=pk).first()
    if crossing is None:
        raise Http404
    rights = crossing_rights(user, crossing)
    if not rights.is_participant:
        raise Http404
    return crossing, rights


ADDRESSED = (ProposalStatus.ADDRESSED, ProposalStatus.ANSWERED)


def proposal_is_readable(*, is_participant: bool, is_elu: bool, status: str) -> bool:
    """The members of the two groups read a proposal, and once it is addressed, the élus of the territory."""
    return is_participant or (is_elu and status in ADDRESSED)


def get_proposal_for_user(user, pk) -> tuple[JointProposal, CrossingRights]:
    """The members of the two groups, and once addressed, the élus of the interpellated territory."""
    proposal = (
        JointProposal.objects.select_related(
            "crossing__group_a",
            "crossing__group_b",
            "crossing__territory",
            "answer__answered_by",
            "addressed_by",
        )
        .filter(pk=pk)
        .first()
    )
    if proposal is None:
        raise Http404
    rights = crossing_rights(user, proposal.crossing)
    if not proposal_is_readable(
        is_participant=rights.is_participant, is_elu=rights.is_elu, status=proposal.status
    ):
        raise Http404
    return proposal, rights


def get_proposal_for_answering(user, pk) -> tuple[JointProposal, CrossingRights]:
    proposal, rights = get_proposal_for_user(user, pk)
    if not rights.is_elu:
        raise PermissionDenied
    return proposal, rights


def visible_group_ids(user) -> set:
    return set(GroupMember.objects.filter(user=user).values_list("group_id", flat=True))
