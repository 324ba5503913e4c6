"""Reads of the peer groups that other pages gather (the personal agenda feed)."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from core.ical import Item

from .models import Meeting

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
