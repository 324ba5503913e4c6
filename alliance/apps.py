from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AllianceConfig(AppConfig):
    name = "alliance"
    verbose_name = _("Alliance")

    def ready(self):
        from core.models import ACTION_LABELS
        from notifications import kinds
        from outbox import registry

        from . import notifications

        registry.register(notifications.MEMBERSHIP, notifications.render_membership_email)

        ACTION_LABELS.update(
            {
                "membership.apply": _("Candidature déposée, charte signée"),
                "membership.accept": _("Candidature acceptée"),
                "membership.refuse": _("Candidature refusée"),
                "membership.suspend": _("Adhésion suspendue"),
                "membership.reinstate": _("Adhésion réactivée"),
                "membership.withdraw": _("Adhésion retirée"),
                "membership.resign": _("Nouvelle version de la charte signée"),
                "charter.publish": _("Nouvelle version de la charte publiée"),
                "membership.lapse": _("Adhésion à renouveler : échéance de signature passée"),
                "organisation.add_person": _("Personne ajoutée à l'organisation"),
            }
        )
        kinds.register(
            "alliance.charter", _("Nouvelle version de la charte à signer, rappels avant l'échéance")
        )
