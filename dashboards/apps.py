from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    """The pages that gather several capabilities (« Mon espace » and its « À faire »): the top layer, which
    depends on the capabilities and which none of them imports."""

    name = "dashboards"
    verbose_name = _("Tableaux de bord")
