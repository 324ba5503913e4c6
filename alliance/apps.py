from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AllianceConfig(AppConfig):
    name = "alliance"
    verbose_name = _("Alliance")

    def ready(self):
        from core.models import ACTION_LABELS
        from notifications import kinds
        from outbox import registry

        from . import notifications, privacy  # noqa: F401 - privacy registers its part of the personal data

        registry.register(notifications.MEMBERSHIP, notifications.render_membership_email)

        # The journals name a charter version and a membership (with its status) in the reader's language.
        from core.audit import register_target_name

        from .models import Charter, Membership, MembershipStatus

        register_target_name(
            Charter, _("Charte, version %(version)s"), params=lambda c: {"version": str(c.version)}
        )
        register_target_name(
            Membership,
            "%(member)s (%(status)s)",
            params=lambda m: {"member": m.member_name, "status": m.status},
            status=MembershipStatus,
        )
        _forget_counts_on_changes()

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
                "organisation.update": _("Fiche de l'organisation modifiée"),
            }
        )
        from notifications import messages

        messages.register(
            "alliance.charter_published", _("La charte de l'alliance évolue : signez la version %(version)s")
        )
        messages.register(
            "alliance.charter_reminder",
            _("Plus que %(days)s jours pour signer la version %(version)s de la charte"),
        )
        messages.register(
            "alliance.charter_last_day", _("Plus qu'un jour pour signer la version %(version)s de la charte")
        )
        messages.register(
            "alliance.charter_lapsed",
            _("Votre adhésion est à renouveler : signez la version %(version)s de la charte"),
        )
        messages.register("alliance.charter_deadline", _("À signer avant le %(date)s."), dates=("date",))
        kinds.register(
            "alliance.charter", _("Nouvelle version de la charte à signer, rappels avant l'échéance")
        )


def _forget_counts_on_changes():
    """The directory's kept counts are forgotten when what they count changes."""
    from django.db.models.signals import post_delete, post_save

    from .models import Charter, Membership, Organisation
    from .selectors import forget_directory_counts

    def forget(sender, **kwargs):
        forget_directory_counts()

    for model in (Organisation, Membership, Charter):
        uid = f"alliance.forget_counts.{model.__name__}"
        post_save.connect(forget, sender=model, dispatch_uid=uid, weak=False)
        post_delete.connect(forget, sender=model, dispatch_uid=uid, weak=False)
