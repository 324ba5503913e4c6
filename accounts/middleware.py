from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from .two_factor import has_totp

# Pages an admin without two-factor authentication can still reach: setting it up, or leaving.
_OPEN_PREFIXES = ("/comptes/", "/static/", "/i18n/", "/sante/")


class AdminTwoFactorMiddleware:
    """Alliance admins and staff must have TOTP two-factor authentication before using their powers."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and (user.is_alliance_admin or user.is_staff)
            and not request.path.startswith(_OPEN_PREFIXES)
            and not has_totp(request)
        ):
            messages.warning(
                request,
                _("Les administrateur·ices doivent activer la double authentification avant de continuer."),
            )
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)


class UserLanguageMiddleware:
    """A signed-in person who chose a language reads the platform in it on every device, whatever the
    language cookie or the browser says (the same language their e-mails are written in)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and user.language and user.language != request.LANGUAGE_CODE:
            translation.activate(user.language)
            request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)
