from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PagesConfig(AppConfig):
    name = "pages"
    verbose_name = _("Site public")

    def ready(self):
        from core.models import ACTION_LABELS

        from . import receivers

        receivers.connect()

        ACTION_LABELS.update({"content.edit": _("Texte du site public modifié")})
