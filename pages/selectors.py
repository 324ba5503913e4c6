"""What the public site reads from the other apps: only published, public objects."""

import datetime
import time

from django.core.cache import cache
from django.db import connection, transaction
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


# The home page's content is the same for every visitor of a language, signed in or not (only its first
# button differs): kept rendered this long, or until what it shows is saved or deleted (`forget_home`). The
# lifetime also bounds what no signal announces (a person leaving the directory's count with their account).
HOME_CACHE_SECONDS = 300


def _home_generation_key() -> str:
    # Per database: platforms (or test processes) sharing one Redis keep their pages apart.
    return f"pages:home:{connection.settings_dict['NAME']}:generation"


def home_content_key(*, language: str, signed_in: bool) -> str:
    """The cache key of the home page's rendered content: its generation, today's date (the next event
    and the directory's deadlines follow the day), the language and whether the visitor is signed in."""
    generation = cache.get(_home_generation_key())
    if generation is None:
        generation = time.time_ns()
        cache.set(_home_generation_key(), generation, None)
    database = connection.settings_dict["NAME"]
    state = "member" if signed_in else "visitor"
    return f"pages:home:{database}:{generation}:{timezone.localdate().isoformat()}:{language}:{state}"


def _new_home_generation() -> None:
    cache.set(_home_generation_key(), time.time_ns(), None)


def forget_home(*, again_on_commit: bool = True) -> None:
    """What the home page shows changed: its kept content is rendered again. Now, and again once the change
    is committed, in case a visitor's request rendered what was there before in between."""
    _new_home_generation()
    if again_on_commit:
        transaction.on_commit(_new_home_generation)
