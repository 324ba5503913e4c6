import time

from .selectors import charters_to_resign

# The session remembers for this long whether its person still has a charter version to sign, so that the
# banner costs one query every few minutes rather than one per page.
_SESSION_KEY = "charter_pending"
RECHECK_SECONDS = 300


class CharterResignMiddleware:
    """Members who signed an older charter version see a banner on every page until they sign the current
    one (`request.charter_to_resign`, read by the base template through the context processor)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.charter_to_resign = False
        if request.user.is_authenticated:
            pending, checked_at = request.session.get(_SESSION_KEY) or (False, 0)
            if time.time() - checked_at > RECHECK_SECONDS:
                pending = charters_to_resign(request.user).exists()
                request.session[_SESSION_KEY] = (pending, time.time())
            request.charter_to_resign = pending
        return self.get_response(request)


def forget_charter_check(request) -> None:
    """After signing (or on the signing page with nothing left to sign): check again on the next page."""
    request.session.pop(_SESSION_KEY, None)
    request.charter_to_resign = False


def charter_banner(request):
    """Context processor: whether the page shows the banner asking to sign the new charter version."""
    return {"charter_to_resign": getattr(request, "charter_to_resign", False)}
