from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingsConfig(AppConfig):
    name = "trainings"
    verbose_name = _("Formations et sensibilisation")

    def ready(self):
        from core.models import ACTION_LABELS
        from notifications import kinds
        from territories.dashboard_sections import register_context

        from . import privacy  # noqa: F401 - registers its part of the personal data export and erasure
        from .selectors import territory_dashboard_context

        register_context(territory_dashboard_context)

        ACTION_LABELS.update(
            {
                "training_cycle.create": _("Cycle de formation créé"),
                "training_cycle.update": _("Cycle de formation modifié"),
                "training_cycle.delete": _("Cycle de formation supprimé"),
                "training_session.add": _("Séance de formation programmée"),
                "training_session.remove": _("Séance de formation supprimée"),
                "training_participant.register": _("Participant·es inscrit·es à un cycle de formation"),
                "training_participant.remove": _("Participant·e désinscrit·e d'un cycle de formation"),
                "training_attendance.record": _("Présences d'une séance enregistrées"),
                "awareness.record": _("Session de sensibilisation enregistrée"),
                "awareness.update": _("Session de sensibilisation modifiée"),
                "awareness.delete": _("Session de sensibilisation supprimée"),
                "effect.record": _("Effet inscrit au journal des effets"),
                "effect.update": _("Effet du journal modifié"),
                "effect.delete": _("Effet retiré du journal"),
            }
        )
        from notifications import messages

        messages.register(
            "trainings.registered", _("Vous êtes inscrit·e au cycle de formation « %(title)s »")
        )
        messages.register(
            "trainings.registered_dates",
            _("Du %(start)s au %(end)s, %(days)s jours."),
            dates=("start", "end"),
        )
        messages.register("trainings.effect", _("Un effet (%(sign)s) est inscrit au journal %(of_name)s"))
        kinds.register("trainings.registered", _("Inscription à un cycle de formation"))
        kinds.register("trainings.effect", _("Nouvel effet inscrit au journal d'un territoire"))
