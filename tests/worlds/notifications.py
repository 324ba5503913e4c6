from django.urls import reverse

from notifications.models import Notification


def build(world):
    # Created directly rather than through notify(): the world needs no registered kind, and no e-mail.
    world.notification = Notification.objects.create(
        recipient=world.users["agent"],
        kind="tests.world",
        actor=world.users["dgs"],
        title="Dominique DGS a mis à jour le diagnostic",
        url=reverse("territories:dashboard", args=[world.territory.pk]),
    )
