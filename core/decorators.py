import functools

from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from django.utils.translation import gettext as _


def login_required_or_401(view):
    """login_required for pages; an expired session on an htmx request gets 401, which the page shows as
    such, rather than a redirect to the login page that htmx would silently follow and swap in."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            if request.htmx:
                return HttpResponse(_("Votre session a expiré."), status=401)
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapped
