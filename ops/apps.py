from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    """Operating the platform on several nodes: metrics, structured logs, backups."""

    name = "ops"
    verbose_name = _("Exploitation")

    def ready(self):
        from . import tasks

        tasks.connect()
