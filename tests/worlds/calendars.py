"""The agendas' part of the test world: the agent's secret feed address and a public event
(Explore Demain)."""

import datetime

from calendars import services
from library.models import ResourceKind

from ..library.factories import make_resource


def build(world):
    world.calendar_subscription = services.subscription_renew(actor=world.users["agent"])
    world.public_event = make_resource(
        world.users["agent"],
        title="Festival Explore Demain",
        kind=ResourceKind.EVENT,
        summary="Le festival de l'alliance.",
        starts_on=datetime.date(2027, 5, 17),
        ends_on=datetime.date(2027, 5, 25),
        place="Partout en France",
        status="published",
        publisher=world.users["admin"],
    )
