"""core.routing: a path resolves as Django resolves it, once per process; an unknown path is never kept."""

import pytest
from django.urls import Resolver404, URLResolver, get_resolver, resolve, reverse, set_script_prefix
from django.urls.resolvers import RoutePattern

from core.routing import RememberingResolver, constant_url
from fabrique import urls


def _plain_resolver():
    """The same patterns under Django's own resolver, which remembers nothing."""
    return URLResolver(RoutePattern(""), urls.urlpatterns[0].url_patterns)


def _remembering():
    return RememberingResolver(urls.urlpatterns[0].url_patterns)


@pytest.mark.parametrize(
    "path",
    ["", "robots.txt", "projets/12/", "projets/12/livrables/diagnostic/", "territoires/", "ressources/"],
)
def test_a_path_resolves_to_the_view_and_arguments_django_finds(path):
    plain, remembered = _plain_resolver().resolve(path), _remembering().resolve(path)
    assert (remembered.func, remembered.args, remembered.kwargs) == (plain.func, plain.args, plain.kwargs)
    assert (remembered.view_name, remembered.route) == (plain.view_name, plain.route)


def test_a_path_is_resolved_once_then_remembered():
    resolver = _remembering()
    first = resolver.resolve("robots.txt")
    assert resolver.resolve("robots.txt") is first
    assert resolver._resolve_path.cache_info().hits == 1


def test_an_unknown_path_is_not_remembered():
    resolver = _remembering()
    for _ in range(2):
        with pytest.raises(Resolver404):
            resolver.resolve("nulle-part/")
    assert resolver._resolve_path.cache_info().currsize == 0


def test_the_platforms_urls_resolve_and_reverse_through_it():
    assert isinstance(get_resolver().url_patterns[0], RememberingResolver)
    assert resolve(reverse("pages:robots")).view_name == "pages:robots"
    assert resolve("/projets/12/").kwargs == _plain_resolver().resolve("projets/12/").kwargs


def test_a_constant_url_is_the_reversed_one_under_the_script_prefix_of_the_moment():
    assert constant_url("pages:robots") == reverse("pages:robots") == "/robots.txt"
    set_script_prefix("/sous-dossier/")
    try:
        assert constant_url("pages:robots") == reverse("pages:robots") == "/sous-dossier/robots.txt"
    finally:
        set_script_prefix("/")
    assert constant_url("pages:robots") == "/robots.txt"
