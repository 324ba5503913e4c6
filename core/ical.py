"""iCalendar (RFC 5545) files of the platform's dated things: peer-group meetings, training sessions, public
events. Written with the `icalendar` library; times are given in Europe/Paris with the VTIMEZONE that
describes it, so that every agenda shows them at the right hour whatever its own zone.

Each item has a UID that never changes (its kind and primary key, at the platform's host): an agenda that
downloads it twice, or follows a feed, updates the item instead of adding a copy. A cancelled one stays in the
file with STATUS:CANCELLED, so agendas that have it strike it through or remove it.
"""

import datetime
from dataclasses import dataclass
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone

PRODID = "-//La Fabrique des Transitions//Fabrique//FR"
# Agendas refresh a subscribed feed at most this often (a hint they may follow).
REFRESH_INTERVAL = datetime.timedelta(hours=6)


@dataclass(frozen=True)
class Item:
    """One dated thing of the platform, as an agenda shows it."""

    kind: str  # a stable word naming the model: "reunion", "seance", "evenement"
    pk: int
    title: str
    # A datetime for something at a time of day; a date for a whole day (training sessions, events).
    start: datetime.datetime | datetime.date
    end: datetime.datetime | datetime.date | None = None
    description: str = ""
    location: str = ""
    url: str = ""  # a path of the platform
    cancelled: bool = False

    @property
    def is_whole_day(self) -> bool:
        return not isinstance(self.start, datetime.datetime)


def uid_for(kind: str, pk: int) -> str:
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"{kind}-{pk}@{host}"


def _paris(value):
    zone = ZoneInfo(settings.TIME_ZONE)
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value, zone) if timezone.is_aware(value) else value.replace(tzinfo=zone)
    return value


def _event(item: Item, stamp) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", uid_for(item.kind, item.pk))
    event.add("dtstamp", stamp)
    event.add("summary", item.title)
    start = _paris(item.start)
    event.add("dtstart", start)
    if isinstance(start, datetime.datetime):
        end = _paris(item.end) if item.end else start + datetime.timedelta(hours=2)
    else:
        # A whole-day item ends the day after its last day (DTEND is exclusive).
        end = (item.end or item.start) + datetime.timedelta(days=1)
    event.add("dtend", end)
    if item.description:
        event.add("description", item.description)
    if item.location:
        event.add("location", item.location)
    if item.url:
        event.add("url", settings.SITE_URL + item.url)
    event.add("status", "CANCELLED" if item.cancelled else "CONFIRMED")
    return event


def build_calendar(name: str, items, *, stamp=None) -> bytes:
    """The .ics text of `items`, named `name` in the agendas that show calendar names."""
    stamp = stamp or timezone.now().replace(microsecond=0)
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    calendar.add("refresh-interval", REFRESH_INTERVAL, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", icalendar.vDuration(REFRESH_INTERVAL))
    items = list(items)
    for item in items:
        calendar.add_component(_event(item, stamp))
    # The VTIMEZONE of Europe/Paris, computed from the zoneinfo database, over the years the items span
    # (its transitions are listed one by one: a narrow span keeps the file small).
    years = [item.start.year for item in items] or [stamp.year]
    calendar.add_missing_timezones(
        first_date=datetime.date(min(years) - 1, 1, 1), last_date=datetime.date(max(years) + 2, 1, 1)
    )
    return calendar.to_ical()


def ics_response(name: str, items, *, filename: str, attachment: bool = True) -> HttpResponse:
    """An .ics file: downloaded (one meeting, one session) or read by an agenda that subscribed (a feed)."""
    response = HttpResponse(build_calendar(name, items), content_type="text/calendar; charset=utf-8")
    disposition = "attachment" if attachment else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
