from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """The territory's synthesis (« Bilan du territoire »): a composition of every capability, at the top."""

    name = "reports"
    verbose_name = _("Bilans des territoires")

    def ready(self):
        from core.models import ACTION_LABELS
        from documents.access import register_reader_rule
        from documents.models import DocumentKind
        from territories.dashboard_sections import register

        from .access import can_read_synthesis_document
        from .selectors import dashboard_section

        ACTION_LABELS.update({"synthesis.request": _("Bilan du territoire demandé")})
        register_reader_rule(DocumentKind.SYNTHESIS, can_read_synthesis_document)
        register(dashboard_section)
