"""The access rules of allauth's URLs (sign-up, login, e-mail, password, two-factor authentication)."""

from core.access import EVERYONE, SIGNED_IN, Access, declare

_FLOW_STEP = "Étape d'un parcours qui exige une clé reçue par e-mail ou une connexion en cours."

for name in (
    "account_login",
    "account_logout",
    "account_signup",
    "account_inactive",
    "account_email_verification_sent",
    "account_reset_password",
    "account_reset_password_done",
    "account_reset_password_from_key_done",
):
    declare(
        name, Access(EVERYONE, form=name in {"account_login", "account_signup", "account_reset_password"})
    )

for name in (
    "account_email",
    "account_change_password",
    "account_set_password",
    "account_reauthenticate",
    "mfa_index",
    "mfa_activate_totp",
    "mfa_generate_recovery_codes",
    "mfa_reauthenticate",
):
    declare(name, Access(SIGNED_IN, form=name in {"account_email", "account_change_password"}))

for name in ("mfa_deactivate_totp", "mfa_view_recovery_codes", "mfa_download_recovery_codes"):
    declare(
        name,
        Access(
            SIGNED_IN, probe=False, note="Seulement pour un compte qui a activé la double authentification."
        ),
    )
for name in (
    "account_confirm_email",
    "account_reset_password_from_key",
    "account_confirm_login_code",
    "account_request_reauthentication_code",
    "account_confirm_reauthentication_code",
    "mfa_authenticate",
):
    declare(name, Access(EVERYONE, probe=False, note=_FLOW_STEP))
