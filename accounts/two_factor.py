"""Whether a signed-in admin has activated TOTP two-factor authentication, asked by every page they open
(accounts.middleware.AdminTwoFactorMiddleware): remembered in their session rather than read from the
database on each request.

Only a yes is remembered, and for TOTP_RECHECK_SECONDS: someone without TOTP who activates it is let through
at their next page. Removing the authenticator from the session itself (allauth's deactivation, which sends
`authenticator_removed` with the request) forgets the answer at once; a removal made elsewhere (another
session, the Django admin) is seen by the session within TOTP_RECHECK_SECONDS.
"""

import time

from allauth.mfa.models import Authenticator

TOTP_RECHECK_SECONDS = 300
_SESSION_KEY = "totp_seen"


def has_totp(request) -> bool:
    user = request.user
    seen_for, seen_at = request.session.get(_SESSION_KEY) or (None, 0)
    if seen_for == user.pk and time.time() - seen_at <= TOTP_RECHECK_SECONDS:
        return True
    found = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    if found:
        request.session[_SESSION_KEY] = (user.pk, time.time())
    else:
        request.session.pop(_SESSION_KEY, None)
    return found


def forget_totp(sender, request=None, **kwargs) -> None:
    """Receiver of allauth's `authenticator_removed` (connected in AccountsConfig.ready)."""
    if request is not None and hasattr(request, "session"):
        request.session.pop(_SESSION_KEY, None)
