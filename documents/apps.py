from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = _("Documents PDF")

    def ready(self):
        from core.models import ACTION_LABELS

        from . import receivers

        receivers.connect()
        from .metrics import register

        register()
        ACTION_LABELS.update({"document.request": _("PDF demandé")})
