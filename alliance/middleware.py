from django.shortcuts import redirect
from django.urls import reverse

from .services import charters_to_resign

_SESSION_KEY = "charter_checked"
_OPEN_PREFIXES = ("/comptes/", "/static/", "/i18n/", "/sante/", "/alliance/charte/")


class CharterResignMiddleware:
    """Once per session, a member who signed an older charter version is asked to sign the current one."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.user.is_authenticated
            and not request.session.get(_SESSION_KEY)
            and not request.path.startswith(_OPEN_PREFIXES)
        ):
            if charters_to_resign(request.user).exists():
                return redirect(reverse("alliance:charter_resign"))
            request.session[_SESSION_KEY] = True
        return self.get_response(request)
