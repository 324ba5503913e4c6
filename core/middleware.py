import time

from django.conf import settings
from django.contrib.auth import logout

_STARTED = "session_started_at"


class SessionLifetimeMiddleware:
    """End a session after an absolute lifetime, however active it is.

    The idle timeout is the session cookie's age, renewed on each request (SESSION_SAVE_EVERY_REQUEST).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = request.session
        now = int(time.time())
        started = session.get(_STARTED)
        if started is None:
            if session.session_key or session.modified:
                session[_STARTED] = now
        elif now - started > settings.SESSION_ABSOLUTE_SECONDS:
            logout(request)
        return self.get_response(request)
