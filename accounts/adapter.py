import ipaddress
import time
from urllib.parse import urlsplit

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import get_authentication_records
from allauth.core import context as allauth_context
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from outbox.compose import compose
from outbox.services import email_queue_rendered

from .models import User
from .selectors import chosen_language_of_address

# The links allauth builds from the request: rebuilt on SITE_URL, like every other e-mail's.
_LINKS = ("activate_url", "password_reset_url", "signup_url")


def _on_site(url: str) -> str:
    parts = urlsplit(url)
    return settings.SITE_URL + parts.path + (f"?{parts.query}" if parts.query else "")


def _action(template_prefix: str, context: dict) -> tuple[str, str]:
    """The link to what an account e-mail is about, and the words of its button."""
    links = {
        "account/email/email_confirmation_signup": ("activate_url", _("Confirmer mon adresse")),
        "account/email/email_confirmation": ("activate_url", _("Confirmer mon adresse")),
        "account/email/password_reset_key": ("password_reset_url", _("Choisir un nouveau mot de passe")),
        "account/email/account_already_exists": ("password_reset_url", _("Choisir un nouveau mot de passe")),
        "account/email/unknown_account": ("signup_url", _("Créer un compte")),
    }
    if template_prefix in links:
        key, label = links[template_prefix]
        return context[key], label
    # A notice of a change to the account: the page where the person checks it.
    name = template_prefix.rsplit("/", 1)[-1]
    if template_prefix.startswith("mfa/"):
        page = "mfa_index"
    elif name.startswith("email"):
        page = "account_email"
    else:
        page = "account_change_password"
    return settings.SITE_URL + reverse(page), _("Vérifier mon compte")


def _recipient_language(email: str, context: dict) -> str:
    """The language the account an e-mail is about chose, or the request's: a person who reads the platform
    in English and asks for a new password from a French page (signed out, another device) reads English.
    The account is allauth's `user` when it names one, else the one the address belongs to."""
    user = context.get("user")
    chosen = user.language if isinstance(user, User) else chosen_language_of_address(email)
    return chosen or translation.get_language() or settings.LANGUAGE_CODE


def _setting_up_totp_right_after_login(request) -> bool:
    """An admin sent to set up TOTP as they log in (accounts.middleware) has just typed their password:
    asking for it again on the next page is one time too many. It counts as a re-authentication while
    allauth's own timeout runs, and only on the TOTP setup page of a person who has no TOTP yet."""
    if request is None or not request.user.is_authenticated:
        return False
    user = request.user
    if not (user.is_alliance_admin or user.is_staff) or request.path != reverse("mfa_activate_totp"):
        return False
    records = get_authentication_records(request, user)
    logins = [record for record in records if record.get("method") == "password"]
    return bool(logins) and time.time() - logins[-1]["at"] < account_settings.REAUTHENTICATION_TIMEOUT


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request) -> str:
        """The client's address for the rate limits. allauth answers a request whose X-Forwarded-For holds
        fewer addresses than ALLAUTH_TRUSTED_PROXY_COUNT with ImproperlyConfigured, a 500: an operator's
        request to a node that skips the outer proxy. Every address such a header holds was written by a
        proxy we trust, so the first one, the address the outermost of them saw, is the client's."""
        try:
            return super().get_client_ip(request)
        except ImproperlyConfigured:
            first = request.headers.get("x-forwarded-for", "").split(",")[0].strip()
            try:
                return str(ipaddress.ip_address(first))
            except ValueError:
                raise PermissionDenied("Unable to determine client IP address") from None

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        if app == "allauth.mfa" and _setting_up_totp_right_after_login(allauth_context.request):
            return False
        return super().is_reauthentication_required(app=app, **kwargs)

    def save_user(self, request, user, form, commit=True):
        # The profile fields of the sign-up form are cleaned by SignupProfileForm.
        user = super().save_user(request, user, form, commit=False)
        data = form.cleaned_data
        user.full_name = data.get("full_name", "")
        user.function = data.get("function", "")
        user.family = data.get("family") or user.family
        if commit:
            user.save()
        return user

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """allauth's e-mails (verification, password reset, account and MFA notices) in the platform's own
        words (templates/account/email, templates/mfa/email) and layout, leaving through the outbox like
        every other: written now, since their one-time key only exists here, in the language of the
        account they are about (else the request's); sent by a worker, retried, never lost when the broker
        is down."""
        context = {"email": email, **context}
        for key in _LINKS:
            if context.get(key):
                context[key] = _on_site(context[key])
        language = _recipient_language(email, context)
        with translation.override(language):
            action_url, action_label = _action(template_prefix, context)
            message = compose(
                template_prefix,
                {**context, "action_url": action_url, "action_label": action_label},
                to=[email],
                subject_template=f"{template_prefix}_subject.txt",
                body_template=f"{template_prefix}_message.txt",
            )
        email_queue_rendered(
            to=email,
            subject=message.subject,
            text=message.text,
            html=message.html,
            language=language,
        )
