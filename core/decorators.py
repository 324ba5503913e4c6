"""The one login guard of the platform, for every view that needs a signed-in person."""

import functools

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import resolve_url
from django.utils.translation import gettext as _


def login_response(request):
    """What a request without a session gets.

    A plain request is sent to the login page, back here afterwards. An htmx request gets 401 rather than a
    redirect that htmx would silently follow and swap in: a GET (a fragment loaded or polled) also carries
    HX-Redirect, so the whole page goes to the login page and comes back to itself; a POST does not, so
    that the text typed in its form stays in the page, which says the session expired.
    """
    if not request.htmx:
        return redirect_to_login(request.get_full_path())
    response = HttpResponse(_("Votre session a expiré."), status=401)
    if request.method == "GET":
        page = request.htmx.current_url_abs_path
        login = redirect_to_login(page) if page else None
        response["HX-Redirect"] = login.url if login else resolve_url(settings.LOGIN_URL)
    return response


def login_required(view):
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return login_response(request)
        return view(request, *args, **kwargs)

    return wrapped


def admin_required(view):
    """Alliance admins only: visitors without a session go through the login guard, others get a 403."""

    @login_required
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_alliance_admin:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped
