from functools import cached_property

from core.routing import constant_url

from .selectors import unread_count


class UnreadNotifications:
    """The header's notifications link: its unread count, queried only when a template reads it, and once per
    response; its address."""

    def __init__(self, request):
        self.request = request

    @cached_property
    def count(self) -> int:
        user = getattr(self.request, "user", None)
        if user is None or not user.is_authenticated:
            return 0
        return unread_count(user.pk)

    @property
    def url(self) -> str:
        """The list's address, for the header's link of every page: reversed once per process."""
        return constant_url("notifications:list")


def notifications(request):
    return {"notifications_unread": UnreadNotifications(request)}
