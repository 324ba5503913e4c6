"""The URL configuration's resolving, remembered per path.

Django tries the patterns one after the other: an address of an app included without a prefix (pages,
methods, reports…) is matched after a hundred regular expressions, and each include that fails builds the
list of what it tried, for the debug page of a 404. That was about an eighth of a signed-in request's CPU
(robots.txt). A path resolves to the same view and arguments as long as the configuration is the same (it
is built once at import; converters are pure functions of the text), so the match of a path that resolved
is kept; a path that resolves to nothing is not (any text can be asked for: the cache would fill with it).
The match is kept without its list of the patterns tried before it (`tried`, a hundred entries for the
pages of the apps included last): only Django's debug page of a 404 reads such a list, and a 404 is never
remembered.
"""

from functools import lru_cache

from django.urls import URLResolver
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
