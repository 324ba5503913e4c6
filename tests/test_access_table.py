"""Every URL of the platform has a rule in the access table, and every role gets what the rule says."""

import pytest
from django.conf import settings
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from core.access import ROLES, TABLE, rule_for


def _url_names(patterns=None, namespace=None):
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace
            ns = f"{namespace}:{inner}" if namespace and inner else (inner or namespace)
            yield from _url_names(pattern.url_patterns, ns)
        elif isinstance(pattern, URLPattern):
            # A pattern without a name cannot be reversed, linked to, or declared: it is a defect too.
            yield (
                f"{namespace}:{pattern.name}"
                if namespace
                else (pattern.name or f"<unnamed {pattern.pattern}>")
            )


def test_every_url_name_has_an_access_rule():
    missing = sorted({name for name in _url_names() if rule_for(name) is None})
    assert missing == [], f"URL names without a rule in core.access: {missing}"


def test_every_declared_rule_points_at_a_real_url():
    existing = set(_url_names())
    stale = sorted(name for name in TABLE if name not in existing)
    assert stale == []


# Importing the URL configuration fills the access table.
get_resolver().url_patterns  # noqa: B018
PROBED = [name for name, access in sorted(TABLE.items()) if access.probe]


def _is_login_redirect(response):
    return response.status_code == 302 and response["Location"].startswith(reverse(settings.LOGIN_URL))


def _mismatch(name, access, role, response):
    """What is wrong with this role's response, or None."""
    status = response.status_code
    if role in access.who:
        if status >= 500 or status in (403, 404) or _is_login_redirect(response):
            return f"{role} should reach {name}, got {status}"
    elif role == "anonymous":
        if not _is_login_redirect(response):
            return f"anonymous should be sent to the login page from {name}, got {status}"
    elif role in access.hidden_from:
        if status != 404:
            return f"{name} must not reveal itself to {role}, got {status}"
    elif status not in (403, 404):
        return f"{role} must not reach {name}, got {status}"
    return None


@pytest.mark.parametrize("name", PROBED)
def test_each_role_gets_what_the_access_table_says(name, world, client_for):
    """One world per URL; each role's request runs in a savepoint rolled back afterwards, so a POST by one
    role (submitting, accepting…) never changes what the next role meets."""
    access = TABLE[name]
    url = reverse(name, kwargs=access.kwargs(world) if access.kwargs else None)
    mismatches = []
    for role in ROLES:
        with transaction.atomic():
            client = client_for(role)
            response = client.get(url) if access.get else client.post(url, {})
            transaction.set_rollback(True)
        mismatches.append(_mismatch(name, access, role, response))
    assert [m for m in mismatches if m] == []


def test_django_admin_is_for_staff_only(client_for, world):
    assert client_for("admin").get(reverse("admin:index")).status_code == 200
    response = client_for("agent").get(reverse("admin:index"))
    assert response.status_code == 302 and "login" in response["Location"]
