import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def new_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarSubscription(models.Model):
    """The secret address of a person's agenda feed (their meetings and training sessions). Whoever holds the
    address reads the feed, so the person may revoke it, or replace it by a new one, at any time."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_subscription"
    )
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    last_read_at = models.DateTimeField(_("dernière lecture"), null=True, blank=True)

    class Meta:
        verbose_name = _("abonnement à l'agenda")
        verbose_name_plural = _("abonnements à l'agenda")

    def __str__(self):
        return str(self.user)
