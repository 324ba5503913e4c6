from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CalendarsConfig(AppConfig):
    """The agendas: a person's subscription to their meetings and training sessions, the public events
    feed. Built on top of the apps whose dated things it gathers (cooperation, trainings, library)."""

    name = "calendars"
    verbose_name = _("Agendas")

    def ready(self):
        from core.models import ACTION_LABELS

        ACTION_LABELS.update(
            {
                "calendar.subscribe": _("Adresse d'abonnement à l'agenda créée"),
                "calendar.revoke": _("Adresse d'abonnement à l'agenda révoquée"),
            }
        )
