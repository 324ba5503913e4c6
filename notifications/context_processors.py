from functools import cached_property

from .selectors import unread_count


class UnreadNotifications:
    """The header's unread count, queried only when a template reads it, and once per response."""

    def __init__(self, request):
        self.request = request

    @cached_property
    def count(self) -> int:
        user = getattr(self.request, "user", None)
        if user is None or not user.is_authenticated:
            return 0
        return unread_count(user.pk)


def notifications(request):
    return {"notifications_unread": UnreadNotifications(request)}
