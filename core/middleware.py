import time

from django.conf import settings
from django.contrib.auth import SESSION_KEY, logout

from .decorators import login_response
from .errors import LoginRequired

_STARTED = "session_started_at"
_STARTED_FOR = "session_started_for"


class SessionLifetimeMiddleware:
    """End a session after an absolute lifetime, however active it is.

    The idle timeout is the session cookie's age, renewed on each request (SESSION_SAVE_EVERY_REQUEST).
    A session whose account was deactivated (or deleted) ends for good at its next request: it does not
    come back to life if the account is reactivated.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = request.session
        user_id = session.get(SESSION_KEY)
        if user_id is not None:
            now = int(time.time())
            # The lifetime counts from the login: a new login (or another account) restarts the clock.
            if session.get(_STARTED_FOR) != user_id:
                session[_STARTED] = now
                session[_STARTED_FOR] = user_id
            elif now - session.get(_STARTED, now) > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if SESSION_KEY in request.session and user is not None and not user.is_authenticated:
            request.session.flush()
        return response


class LoginGuardMiddleware:
    """Answers `core.errors.LoginRequired`, raised by an access helper that finds something open to members
    only and nobody signed in, with the login guard's response (core.decorators.login_response)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, LoginRequired):
            return login_response(request)
        return None
