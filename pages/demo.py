"""Demo data of the public site (idempotent): its texts as written from the alliance's presentation, and the
alliance's festival "Explore Demain" (17–25 mai) as an event of the library."""

from datetime import date

from django.utils import timezone

from library import services as library
from library.models import Resource, ResourceKind

from .defaults import DEFAULT_BLOCKS
from .models import ContentBlock

FESTIVAL = "Festival Explore Demain"


def next_festival_dates(today: date) -> tuple[date, date]:
    """The next 17–25 May that is not over yet."""
    year = today.year if today <= date(today.year, 5, 25) else today.year + 1
    return date(year, 5, 17), date(year, 5, 25)


def seed_pages(*, admin):
    for key, (title, body) in DEFAULT_BLOCKS.items():
        ContentBlock.objects.get_or_create(
            key=key, defaults={"title": str(title), "body": str(body), "updated_by": admin}
        )
    # The library's demo may already have it (« Le festival Explore Demain »): the festival is listed once.
    if not Resource.objects.filter(kind=ResourceKind.EVENT, title__icontains="Explore Demain").exists():
        starts_on, ends_on = next_festival_dates(timezone.localdate())
        festival = library.resource_create(
            actor=admin,
            fields={
                "title": FESTIVAL,
                "kind": ResourceKind.EVENT,
                "summary": "Le festival de La Fabrique des Transitions : neuf jours de rencontres, "
                "d'ateliers et de visites pour explorer les transitions des territoires.",
                "starts_on": starts_on,
                "ends_on": ends_on,
                "place": "Dans les territoires de l'alliance",
            },
        )
        library.resource_submit(actor=admin, resource=festival)
        library.resource_publish(actor=admin, resource=festival)
