"""What the peer groups hold about a person, for their export and the deletion of their account
(accounts.privacy)."""

from django.utils import timezone

from accounts.privacy import register, register_erasure

from .models import GroupMember, JoinRequest, JoinStatus, Meeting, Post


@register
def export(user):
    return {
        "peer_groups": [
            {"group": group, "role": role, "follows": follows, "joined_at": joined_at}
            for group, role, follows, joined_at in GroupMember.objects.filter(user=user)
            .order_by("joined_at", "pk")
            .values_list("group__name", "role", "follows", "joined_at")
        ],
        "peer_group_posts": [
            {
                "group": post.thread.group.name,
                "thread": post.thread.title,
                "date": post.created_at,
                "body": post.body,
                "attachments": [attachment.original_name for attachment in post.attachments.all()],
            }
            for post in Post.objects.filter(author=user)
            .select_related("thread__group")
            .prefetch_related("attachments")
            .order_by("created_at", "pk")
        ],
        # Requests the person made and invitations they received; whom they invited is the invitees' data.
        "peer_group_join_requests": [
            {
                "group": group,
                "direction": direction,
                "role": role,
                "message": message,
                "status": status,
                "created_at": created_at,
                "decided_at": decided_at,
            }
            for group, direction, role, message, status, created_at, decided_at in JoinRequest.objects.filter(
                user=user
            )
            .order_by("created_at", "pk")
            .values_list("group__name", "direction", "role", "message", "status", "created_at", "decided_at")
        ],
        "peer_group_meetings_attended": [
            {"group": group, "meeting": title, "date": starts_at}
            for group, title, starts_at in Meeting.objects.filter(attendees=user)
            .order_by("starts_at", "pk")
            .values_list("group__name", "title", "starts_at")
        ],
    }


@register_erasure
def erase(user):
    """The person leaves every group (as member or animator, so no more follows); their posts stay, and
    requests or invitations still waiting for them are declined."""
    GroupMember.objects.filter(user=user).delete()
    JoinRequest.objects.filter(user=user, status=JoinStatus.PENDING).update(
        status=JoinStatus.DECLINED, decided_by=user, decided_at=timezone.now()
    )
