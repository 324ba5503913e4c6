from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from outbox import registry

        from . import emails

        registry.register(emails.IMMEDIATE, emails.render_immediate)
        registry.register(emails.DIGEST, emails.render_digest)
