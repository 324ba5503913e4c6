from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TerritoriesConfig(AppConfig):
    name = "territories"
    verbose_name = _("Territoires")

    def ready(self):
        from alliance.extensions import organisation_page
        from core.models import ACTION_LABELS
        from outbox import registry

        from . import (
            notifications,
            privacy,  # noqa: F401 - registers its part of the personal data
            receivers,
        )
        from .access import organisation_page_context

        receivers.connect()
        organisation_page.register(organisation_page_context)

        registry.register(notifications.INVITATION, notifications.render_invitation_email)

        ACTION_LABELS.update(
            {
                "territory.create": _("Territoire créé"),
                "territory.set_epcis": _("Composition du regroupement modifiée"),
                "territory.update": _("Profil du territoire modifié"),
                "territory.pilot": _("Statut de pilote du territoire modifié"),
                "territory.publish": _("Territoire publié"),
                "territory.unpublish": _("Territoire retiré de la publication"),
                "milestone.create": _("Étape ajoutée à la trajectoire"),
                "milestone.update": _("Étape de la trajectoire modifiée"),
                "milestone.delete": _("Étape de la trajectoire supprimée"),
                "diagnostic.create": _("Diagnostic enregistré"),
                "diagnostic.update": _("Diagnostic modifié"),
                "invitation.create": _("Invitation envoyée"),
                "invitation.accept": _("Invitation acceptée"),
                "invitation.decline": _("Invitation déclinée"),
                "invitation.revoke": _("Invitation annulée"),
                "team.add": _("Membre ajouté·e à l'équipe"),
                "team.change": _("Rôle modifié dans l'équipe"),
                "team.remove": _("Membre retiré·e de l'équipe"),
                "assessment.record": _("Auto-évaluation enregistrée"),
                "recommendation.create": _("Recommandation ajoutée au diagnostic"),
                "recommendation.update": _("Recommandation du diagnostic modifiée"),
            }
        )
