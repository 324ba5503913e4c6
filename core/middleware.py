import secrets
import time
from functools import lru_cache

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.contrib.auth import SESSION_KEY, logout
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import Http404, QueryDict
from django.urls import get_script_prefix, get_urlconf, resolve, reverse

from .decorators import login_response
from .errors import LoginRequired

# Set by django-csp's decorators (@csp_update, @csp_replace, @csp_exempt…) on a response whose policy differs
# from the settings'.
_PER_RESPONSE = (
    "_csp_config",
    "_csp_update",
    "_csp_replace",
    "_csp_exempt",
    "_csp_config_ro",
    "_csp_update_ro",
    "_csp_replace_ro",
    "_csp_exempt_ro",
)
# Stands for the response's nonce in the policy composed once; replaced by it in each response.
_NONCE_MARK = secrets.token_hex(16)


@lru_cache(maxsize=4)
def _settings_policy(report_only: bool, with_nonce: bool) -> str:
    return build_policy(nonce=_NONCE_MARK if with_nonce else None, report_only=report_only)


@receiver(setting_changed)
def _forget_settings_policy(setting, **kwargs):
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        _settings_policy.cache_clear()


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the policy of the settings composed once per process rather than twice
    per response (the policy and its report-only twin, each a deep copy of the settings then a string): that
    was a tenth of a signed-in request's CPU. A response carrying a policy of its own (django-csp's
    decorators) and the debug pages are left to django-csp as they were."""

    def process_response(self, request, response):
        if settings.DEBUG or any(hasattr(response, attr) for attr in _PER_RESPONSE):
            return super().process_response(request, response)
        nonce = getattr(request, "_csp_nonce", None)
        for report_only, header, setting in (
            (False, HEADER, "CONTENT_SECURITY_POLICY"),
            (True, HEADER_REPORT_ONLY, "CONTENT_SECURITY_POLICY_REPORT_ONLY"),
        ):
            policy = _settings_policy(report_only, bool(nonce))
            if not policy or header in response:
                continue
            excluded = (getattr(settings, setting, None) or {}).get("EXCLUDE_URL_PREFIXES") or ()
            if not request.path_info.startswith(tuple(excluded)):
                response[header] = policy.replace(_NONCE_MARK, nonce) if nonce else policy
        if nonce is None:
            # As django-csp: a nonce asked for after the header is written would protect nothing.
            request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response


class HealthFirstMiddleware:
    """Answers the health endpoint (/sante/) before the session, the signed-in person or the charter are read.

    Those read the database: during an outage, a probe carrying a session cookie (an operator checking from
    a browser, a monitor that kept a cookie) would get the HTML 500 page instead of the endpoint's 503 JSON
    that names the failing component. The endpoint needs none of them.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path != _health_path(get_urlconf(), get_script_prefix()):
            return self.get_response(request)
        match = resolve(request.path_info)
        request.resolver_match = match  # the request's log line and metrics name the view
        return match.func(request, *match.args, **match.kwargs)


@lru_cache(maxsize=8)
def _health_path(urlconf, script_prefix) -> str:
    """The endpoint's address, reversed once per URL configuration and prefix rather than on every request
    (both arguments are what reverse() reads implicitly)."""
    return reverse("core:health", urlconf=urlconf)


_STARTED = "session_started_at"
_STARTED_FOR = "session_started_for"
_REFRESHED = "session_refreshed_at"


class SessionLifetimeMiddleware:
    """End a session after an absolute lifetime, however active it is; renew its idle timeout.

    The idle timeout is the session cookie's age (and the stored session's expiry date), renewed each time
    the session is saved. A request saves it when something in it changed, and otherwise at most once every
    SESSION_REFRESH_SECONDS: reading pages keeps a session alive without writing it on every request (an
    idle session thus ends between SESSION_COOKIE_AGE minus that interval and SESSION_COOKIE_AGE after
    its last request).
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
        else:
            _refresh(request.session)
        return response


def _refresh(session) -> None:
    """Mark a session that holds something for saving when it was last saved long enough ago: saving it sets
    its expiry date and its cookie's age again (django.contrib.sessions' middleware)."""
    if session.is_empty() or not session.keys():
        return
    now = int(time.time())
    if session.modified or now - session.get(_REFRESHED, 0) >= settings.SESSION_REFRESH_SECONDS:
        session[_REFRESHED] = now


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


def _without_nul(query: QueryDict) -> QueryDict:
    cleaned = QueryDict(mutable=True)
    for key, values in query.lists():
        for value in values:
            cleaned.appendlist(key.replace("\x00", ""), value.replace("\x00", ""))
    cleaned._mutable = False
    return cleaned


class NulCharacterMiddleware:
    """Keeps the NUL character (U+0000) of an address or a query away from the views and PostgreSQL.

    PostgreSQL cannot store NUL in a text column and refuses it in a query's parameters: a NUL that reaches a
    lookup (a token in the address, a search, a filter's code) is a 500. Nobody types NUL, so:
    - an address that holds one names no page: 404;
    - the query's keys and values lose theirs (a search for « pôle\\x00 » is a search for « pôle »), so every
      filter and search, present or future, reads clean text.
    Posted forms are left alone: their text fields refuse NUL with a message beside the field (Django's
    CharField), which keeps what was typed; the fields that are not text read codes and identifiers that are
    checked against fixed lists or parsed (core.params.parse_id, territories.forms.CodeListField).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path:
            raise Http404
        if any("\x00" in key or any("\x00" in v for v in values) for key, values in request.GET.lists()):
            request.GET = _without_nul(request.GET)
        return self.get_response(request)
