from django.http import Http404

from .models import Notification


def get_notification_for_user(user, pk) -> Notification:
    """A notification exists only for its recipient: anyone else gets 404, as for a missing one."""
    notification = Notification.objects.filter(pk=pk, recipient_id=user.pk).first()
    if notification is None:
        raise Http404
    return notification
