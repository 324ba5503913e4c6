"""What the public site reads from the other apps: only published, public objects."""

import datetime

from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils import timezone

from library.models import ResourceKind
from library.selectors import published_resources
from territories.models import Territory


def public_resources():
    """Published resources that are not reserved to the alliance's members."""
    return published_resources()


def latest_resources(limit=3):
    return public_resources().exclude(kind=ResourceKind.EVENT).order_by("-published_at", "-pk")[:limit]


def _events():
    # An event without an end date lasts its first day.
    return (
        public_resources().filter(kind=ResourceKind.EVENT).annotate(last_day=Coalesce("ends_on", "starts_on"))
    )


def upcoming_events():
    """Events not yet over, the soonest first."""
    return _events().filter(last_day__gte=timezone.localdate()).order_by("starts_on", "pk")


def past_events(limit=20):
    return _events().filter(last_day__lt=timezone.localdate()).order_by(F("starts_on").desc(), "-pk")[:limit]


def public_events_for_feed(past_days=365):
    """The public events of the last year and to come, for the public agenda feed."""
    since = timezone.localdate() - datetime.timedelta(days=past_days)
    return _events().filter(last_day__gte=since).order_by("starts_on", "pk")


def public_event(pk):
    """A public event, or None (a draft, a members-only resource, or not an event)."""
    return _events().filter(pk=pk).first()


def pilot_stories(limit=3):
    """The published pilot territories, the longest-standing first: their profile tells their trajectory."""
    return Territory.objects.filter(is_published=True, is_pilot=True).order_by(
        F("pilot_since").asc(nulls_last=True), "name"
    )[:limit]
