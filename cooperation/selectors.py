"""Reads of the peer groups: the pages' lists and figures, and what other pages gather (the personal agenda
feed, « Mon espace » and its « À faire »)."""

from datetime import timedelta

from django.db.models import Count, Prefetch, Q, Window
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.ical import Item
from core.todo import TODO_LIMIT, TodoItem, TodoList
from territories.models import TeamMember, TeamRole, Territory

from .models import (
    Attachment,
    Contribution,
    ContributionKind,
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
    ProposalStatus,
    Thread,
)

# A feed carries the meetings of the last months too: an agenda keeps showing what just happened.
FEED_PAST = timedelta(days=180)


def meeting_item(meeting: Meeting) -> Item:
    """A meeting as an agenda shows it (its group's name in the title, its agenda as the description)."""
    return Item(
        kind="reunion",
        pk=meeting.pk,
        title=f"{meeting.title} — {meeting.group.name}",
        start=meeting.starts_at,
        description=meeting.agenda,
        location=meeting.place or meeting.link,
        url=reverse("cooperation:meetings", args=[meeting.group_id]) + f"#reunion-{meeting.pk}",
        cancelled=meeting.cancelled_at is not None,
    )


def meetings_for_feed(user):
    """The meetings of the groups a person belongs to, from a few months back on."""
    return (
        Meeting.objects.filter(group__memberships__user=user, starts_at__gte=timezone.now() - FEED_PAST)
        .select_related("group")
        .order_by("starts_at", "pk")
    )


# --- Groups -----------------------------------------------------------------------------------------------


def groups_of(user) -> dict:
    """The groups page: the person's groups, the invitations and requests pending, the other listed groups."""
    mine = list(GroupMember.objects.filter(user=user).select_related("group__kind", "group__territory"))
    my_ids = {m.group_id for m in mine}
    pending = list(
        JoinRequest.objects.filter(user=user, status=JoinStatus.PENDING).select_related("group__kind")
    )
    pending_ids = {j.group_id for j in pending}
    listed = (
        PeerGroup.objects.filter(is_listed=True)
        .exclude(pk__in=my_ids)
        .select_related("kind", "territory")
        .order_by("name")
    )
    return {
        "memberships": mine,
        "invitations": [j for j in pending if j.direction == JoinDirection.INVITATION],
        "requests": [j for j in pending if j.direction == JoinDirection.REQUEST],
        "listed": [g for g in listed if g.pk not in pending_ids],
    }


def creation_territories(user, managed):
    """The territories a new group may belong to: all of them for the alliance's staff, else `managed`."""
    if user.is_alliance_admin or user.is_facilitator:
        return Territory.objects.order_by("name")
    return managed.order_by("name")


def has_pending_request(group, user) -> bool:
    return JoinRequest.objects.filter(
        group=group, user=user, status=JoinStatus.PENDING, direction=JoinDirection.REQUEST
    ).exists()


def group_threads(group):
    return Thread.objects.filter(group=group).select_related("author").order_by("-last_post_at", "-id")


def upcoming_meetings(group, limit=3):
    return list(group.meetings.filter(starts_at__gte=timezone.now()).order_by("starts_at")[:limit])


def crossings_of(group):
    return Crossing.objects.filter(Q(group_a=group) | Q(group_b=group)).select_related("group_a", "group_b")


def facilitators_of(group) -> list:
    return [m.user for m in group.memberships.filter(role="facilitator").select_related("user")]


def group_members(group) -> list:
    return list(group.memberships.select_related("user").order_by("role", "user__full_name"))


def pending_join_requests(group) -> dict:
    """The requests to join and the invitations still waiting for an answer."""
    pending = list(
        JoinRequest.objects.filter(group=group, status=JoinStatus.PENDING)
        .select_related("user", "invited_by")
        .order_by("created_at")
    )
    return {
        "requests": [j for j in pending if j.direction == JoinDirection.REQUEST],
        "invitations": [j for j in pending if j.direction == JoinDirection.INVITATION],
    }


def thread_posts(thread):
    return (
        Post.objects.filter(thread=thread)
        .select_related("author")
        .prefetch_related("mentions", Prefetch("attachments", queryset=Attachment.objects.order_by("id")))
        .order_by("created_at", "id")
    )


def group_meetings(group) -> dict:
    """The group's meetings, those to come first (soonest first), then those past (latest first)."""
    items = list(group.meetings.prefetch_related("attendees").order_by("-starts_at", "-id"))
    now = timezone.now()
    return {
        "upcoming": sorted((m for m in items if m.starts_at >= now), key=lambda m: m.starts_at),
        "past": [m for m in items if m.starts_at < now],
    }


def group_work(group) -> list:
    """The group's contributions, by kind in the method's order."""
    items = list(
        Contribution.objects.filter(group=group).select_related("created_by", "updated_by", "agreed_by")
    )
    return [(kind, [c for c in items if c.kind == kind]) for kind in ContributionKind]


# --- Croisements and proposals ----------------------------------------------------------------------------


def crossing_candidates(group, user):
    """The groups a new croisement may pair with: one the person belongs to, or a listed one; never a
    private group of others, nor one already paired."""
    paired = crossings_of(group).values_list("group_a", "group_b")
    excluded = {group.pk} | {g for pair in paired for g in pair}
    return (
        PeerGroup.objects.filter(Q(is_listed=True) | Q(memberships__user=user))
        .exclude(pk__in=excluded)
        .distinct()
        .order_by("name")
    )


def shareable_contributions(crossing, groups):
    """The texts agreed by `groups` not yet shared in the croisement."""
    return (
        Contribution.objects.filter(group__in=groups, status=ContributionStatus.AGREED)
        .exclude(crossings=crossing)
        .select_related("group")
        .order_by("group__name", "title")
    )


def crossing_columns(crossing) -> list:
    """What each of the two groups shared, side by side."""
    shared = list(
        crossing.shared_contributions.select_related("group", "agreed_by").order_by("group__name", "kind")
    )
    return [(g, [c for c in shared if c.group_id == g.pk]) for g in crossing.groups]


def crossing_sources(crossing):
    return crossing.shared_contributions.select_related("group").order_by("group__name", "title")


def with_agreements(proposals):
    return proposals.select_related(
        "crossing__group_a", "crossing__group_b", "crossing__territory", "answer"
    ).prefetch_related(
        Prefetch("agreements", queryset=ProposalAgreement.objects.select_related("group", "agreed_by"))
    )


def groups_yet_to_agree(proposal, my_groups):
    agreed = {a.group_id for a in proposal.agreements.all()}
    return PeerGroup.objects.filter(pk__in=[g.pk for g in my_groups if g.pk not in agreed]).order_by("name")


def groups_to_agree_for(proposal, rights):
    """The reader's groups that have not agreed to the proposal yet; none when the reader takes no part."""
    if not rights.is_participant:
        return PeerGroup.objects.none()
    return groups_yet_to_agree(proposal, rights.my_groups)


def elus_of(territory) -> list:
    return [
        m.user
        for m in TeamMember.objects.filter(territory=territory, role=TeamRole.ELU).select_related("user")
        if m.user.is_active
    ]


def interpellations_of(user) -> dict:
    """The proposals addressed to the élus of the territories where the person is an élu·e."""
    items = list(
        with_agreements(
            JointProposal.objects.filter(
                status__in=[ProposalStatus.ADDRESSED, ProposalStatus.ANSWERED],
                crossing__territory__team__user=user,
                crossing__territory__team__role=TeamRole.ELU,
            ).order_by("answered_at", "-addressed_at")
        )
    )
    return {
        "waiting": [p for p in items if p.status == ProposalStatus.ADDRESSED],
        "answered": [p for p in items if p.status == ProposalStatus.ANSWERED],
    }


def territory_proposals(territory):
    return list(
        with_agreements(
            JointProposal.objects.filter(crossing__territory=territory).order_by("-created_at", "-id")
        )
    )


def territory_groups(territory, visible_ids):
    """The territory's groups a person may know of: the listed ones and their own (private groups stay
    unknown to those outside them)."""
    return list(
        territory.peer_groups.filter(Q(is_listed=True) | Q(pk__in=visible_ids))
        .select_related("kind")
        .order_by("name")
    )


# --- « À faire » (composed by « Mon espace ») ---------------------------------------------------------------


def proposals_awaiting_answer(territory_ids, *, limit: int = TODO_LIMIT) -> tuple[list, int]:
    """The proposals addressed to the élus of these territories and not answered yet, the longest waiting
    first (the « En attente » of the interpellations page), and how many. One query."""
    rows = list(
        JointProposal.objects.filter(
            status=ProposalStatus.ADDRESSED, crossing__territory_id__in=territory_ids
        )
        .select_related("crossing__group_a", "crossing__group_b", "crossing__territory")
        .annotate(total=Window(Count("pk")))
        .order_by("addressed_at", "pk")[:limit]
    )
    return rows, (rows[0].total if rows else 0)


def todo_for(user, *, elu_territory_ids=()) -> list[TodoList]:
    """The proposals waiting for the élus' answer, the invitations to join a peer group, and, for a group's
    animators, the requests to join it. A fixed number of queries."""
    lists = []
    if elu_territory_ids:
        proposals, count = proposals_awaiting_answer(elu_territory_ids)
        lists.append(
            TodoList(
                key="cooperation.proposals",
                title=_("Propositions qui attendent votre réponse"),
                empty=_("Aucune proposition n'attend la réponse des élu·es."),
                items=[_proposal_item(proposal) for proposal in proposals],
                count=count,
                more_url=reverse("cooperation:interpellations"),
                more_label=_("Toutes les interpellations"),
                order=8,
            )
        )
    # Invitations to the person and requests to the groups they animate: one query, split here.
    animated = GroupMember.objects.filter(user=user, role=GroupRole.FACILITATOR).values("group_id")
    pending = list(
        JoinRequest.objects.filter(status=JoinStatus.PENDING)
        .filter(
            Q(direction=JoinDirection.INVITATION, user=user)
            | Q(direction=JoinDirection.REQUEST, group_id__in=animated)
        )
        .select_related("group", "invited_by")
        .order_by("created_at", "pk")
    )
    invitations = [j for j in pending if j.direction == JoinDirection.INVITATION and j.user_id == user.pk]
    if invitations:
        lists.append(
            TodoList(
                key="invitations",
                title=_("Invitations"),
                empty=_("Aucune invitation ne vous attend."),
                items=[_invitation_item(invitation) for invitation in invitations],
                count=len(invitations),
                order=30,
            )
        )
    requests = {}
    for join in pending:
        if join.direction == JoinDirection.REQUEST:
            requests.setdefault(join.group_id, []).append(join)
    if requests:
        lists.append(
            TodoList(
                key="cooperation.requests",
                title=_("Demandes pour rejoindre vos groupes"),
                empty="",
                items=[_requests_item(joins) for joins in requests.values()],
                count=sum(len(joins) for joins in requests.values()),
                order=40,
            )
        )
    return lists


def _proposal_item(proposal) -> TodoItem:
    crossing = proposal.crossing
    return TodoItem(
        label=proposal.title,
        url=reverse("cooperation:proposal_detail", args=[proposal.pk]),
        since=proposal.addressed_at,
        age=_("en attente de réponse depuis %(duration)s"),
        detail=_("%(a)s et %(b)s (%(territory)s)")
        % {"a": crossing.group_a.name, "b": crossing.group_b.name, "territory": crossing.territory.name},
    )


def _invitation_item(invitation) -> TodoItem:
    return TodoItem(
        label=_("Rejoindre le groupe « %(group)s » (%(role)s)")
        % {"group": invitation.group.name, "role": invitation.get_role_display()},
        url=reverse("cooperation:group_detail", args=[invitation.group_id]) + "#invitation-title",
        since=invitation.created_at,
        age=_("reçue il y a %(duration)s"),
        detail=invitation.invited_by.get_full_name() if invitation.invited_by else "",
    )


def _requests_item(joins) -> TodoItem:
    """The requests to join one group, the oldest first."""
    group = joins[0].group
    return TodoItem(
        label=_("Le groupe « %(group)s »") % {"group": group.name},
        url=reverse("cooperation:members", args=[group.pk]) + "#demandes",
        since=joins[0].created_at,
        age=_("la plus ancienne reçue il y a %(duration)s"),
        detail=ngettext(
            "%(n)s demande attend votre décision", "%(n)s demandes attendent votre décision", len(joins)
        )
        % {"n": len(joins)},
    )
