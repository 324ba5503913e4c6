from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Comptes")

    def ready(self):
        from allauth.mfa.signals import authenticator_removed
        from django.contrib.auth.signals import user_logged_in

        from core.models import ACTION_LABELS

        from . import privacy  # noqa: F401 - registers the export and erasure of the account
        from .language import language_kept_at_login
        from .two_factor import forget_totp

        authenticator_removed.connect(forget_totp, dispatch_uid="accounts.forget_totp")
        user_logged_in.connect(language_kept_at_login, dispatch_uid="accounts.language_kept_at_login")
        ACTION_LABELS.update(
            {
                "privacy.export": _("Données personnelles téléchargées"),
                "privacy.deletion": _("Compte supprimé"),
                "profile.update": _("Profil modifié"),
                "profile.language": _("Langue choisie"),
            }
        )
