"""The URL configuration's resolving, remembered per path; the addresses without arguments, reversed once.

Django tries the patterns one after the other: an address of an app included without a prefix (pages,
methods, reports…) is matched after a hundred regular expressions, and each include that fails builds the
list of what it tried, for the debug page of a 404. That was about an eighth of a signed-in request's CPU
(robots.txt). A path resolves to the same view and arguments as long as the configuration is the same (it
is built once at import; converters are pure functions of the text), so the match of a path that resolved
is kept; a path that resolves to nothing is not (any text can be asked for: the cache would fill with it).
The match is kept without its list of the patterns tried before it (`tried`, a hundred entries for the
pages of the apps included last): only Django's debug 404 page reads it (DEBUG, a developer's machine),
which thus lists no pattern when a view of an address that resolved raises Http404; for an address that
resolves to nothing, never remembered, it lists them all as before.
"""

from functools import lru_cache

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import URLResolver, get_script_prefix, get_urlconf, reverse
from django.urls.resolvers import RoutePattern

# Enough for the addresses of the everyday pages and of the objects being worked on; each entry is one
# ResolverMatch.
REMEMBERED_PATHS = 512


class RememberingResolver(URLResolver):
    """All of a URL configuration's patterns under one include without prefix, namespace or arguments:
    reversing, the checks and the walks over `url_patterns` see them as they were."""

    def __init__(self, patterns, size: int = REMEMBERED_PATHS):
        super().__init__(RoutePattern(""), patterns)
        self._resolve_path = lru_cache(maxsize=size)(self._resolve_anew)

    def _resolve_anew(self, path):
        match = super().resolve(path)
        match.tried = []
        return match

    def resolve(self, path):
        return self._resolve_path(str(path))


@lru_cache(maxsize=256)
def _constant_url(name: str, urlconf, script_prefix: str) -> str:
    return reverse(name, urlconf=urlconf)


def constant_url(name: str) -> str:
    """`reverse(name)` of a URL without arguments, worked out once per process: the header and the footer
    of every page link to the same dozen addresses. Keyed by what reverse() reads besides the name (the
    request's URL configuration, the script prefix)."""
    return _constant_url(name, get_urlconf(), get_script_prefix())


@receiver(setting_changed)
def _forget_constant_urls(setting, **kwargs):
    # As Django forgets its own URL caches when the URL configuration is replaced (tests).
    if setting == "ROOT_URLCONF":
        _constant_url.cache_clear()
