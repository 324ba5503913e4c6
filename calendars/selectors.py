"""What the agendas gather from the apps below: a person's meetings and sessions, the public events."""

from django.urls import reverse

from cooperation.selectors import meeting_item, meetings_for_feed
from core.ical import Item
from pages.selectors import public_events_for_feed
from trainings.selectors import session_item, sessions_for_feed

from .models import CalendarSubscription


def event_item(resource) -> Item:
    return Item(
        kind="evenement",
        pk=resource.pk,
        title=resource.title,
        start=resource.starts_on,
        end=resource.ends_on,
        description=resource.summary,
        location=resource.place,
        url=reverse("library:detail", args=[resource.pk]),
    )


def personal_items(user) -> list[Item]:
    items = [meeting_item(m) for m in meetings_for_feed(user)]
    items += [session_item(s) for s in sessions_for_feed(user)]
    return sorted(items, key=lambda item: (str(item.start), item.kind, item.pk))


def public_items() -> list[Item]:
    return [event_item(resource) for resource in public_events_for_feed()]


def subscription_of(user) -> CalendarSubscription | None:
    return CalendarSubscription.objects.filter(user=user).first()


def subscription_by_token(token: str) -> CalendarSubscription | None:
    """The subscription a secret address names, if its person's account is active."""
    return (
        CalendarSubscription.objects.select_related("user").filter(token=token, user__is_active=True).first()
    )
