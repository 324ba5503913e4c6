import importlib

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MethodsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "methods"
    verbose_name = _("Outils de la méthode")

    def ready(self):
        from core.models import ACTION_LABELS
        from notifications import messages
        from notifications.kinds import register
        from projects.extensions import project_page

        from . import privacy  # noqa: F401 - registers its part of the personal data export and erasure
        from .selectors import project_page_context
        from .services import TOOLS

        project_page.register(project_page_context)

        # The journals name the project's own schema (it has no quest) in the reader's language.
        from core.audit import register_target_name

        from .models import ActantialSchema

        register_target_name(
            ActantialSchema, "%(quest)s", _("Schéma du projet"), params=lambda s: {"quest": s.quest}
        )

        messages.register(
            "methods.journal_shared",
            _("%(name)s partage un récit de coopération (%(where)s) : « %(title)s »"),
        )
        messages.register("methods.evaluation_opened", _("Évaluez la valeur créée : %(title)s"))
        messages.register(
            "methods.evaluation_opened_excerpt",
            _("Donnez votre propre évaluation, dimension par dimension, avant la délibération."),
        )
        for tool in TOOLS:
            module = importlib.import_module(f"methods.services.{tool}")
            ACTION_LABELS.update(module.AUDIT_LABELS)
            for key, label in module.NOTIFICATION_KINDS.items():
                register(key, label)
