"""Every URL of the platform has a rule in the access table, and every role gets what the rule says."""

import pytest
from django.conf import settings
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from core.access import ROLES, TABLE, rule_for

from .url_kwargs import KWARGS, url_for
from .worlds import CANARY


def _names_with_parameters(patterns=None, namespace=None, inherited=False):
    """The URL names whose path (or an including prefix) takes parameters."""
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        has = inherited or bool(pattern.pattern.regex.groupindex)
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace
            ns = f"{namespace}:{inner}" if namespace and inner else (inner or namespace)
            yield from _names_with_parameters(pattern.url_patterns, ns, has)
        elif isinstance(pattern, URLPattern) and has and pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


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


def _response_of(client, url, access):
    # Each request in a savepoint rolled back afterwards, so a POST by one role (submitting, accepting…) never
    # changes what the next role meets.
    with transaction.atomic():
        response = client.get(url) if access.get else client.post(url, {})
        transaction.set_rollback(True)
    return response


def _shows_the_canary(response):
    """The private name of the mirror world that the response shows, with its surroundings, or None."""
    if response.status_code != 200 or not response.get("Content-Type", "").startswith(
        ("text/", "application/json", "application/atom")
    ):
        return None
    content = (b"".join(response.streaming_content) if response.streaming else response.content).decode()
    at = content.find(CANARY)
    return None if at < 0 else " ".join(content[max(0, at - 120) : at + len(CANARY)].split())


# Rights that do not come from a territory: every facilitator publishes the library's resources, creates peer
# groups for any territory and, with the permission, edits the question sets. Across territories these roles
# get what they get at the pilot's, and see those objects' names.
PLATFORM_WIDE = {
    "library:": {"facilitator"},
    "projects:question_set": {"facilitator"},
    "cooperation:group_create": {"facilitator"},
}


def _platform_wide(name, role):
    return any(name.startswith(prefix) and role in roles for prefix, roles in PLATFORM_WIDE.items())


# The roles of the pilot's world, none of whom has anything to do with the mirror territory — but the admin.
STRANGERS_TO_THE_MIRROR = [role for role in ROLES if role != "admin"]


@pytest.mark.parametrize("name", PROBED)
def test_each_role_gets_what_the_access_table_says(name, world, mirror, client_for):
    """Every role of the pilot's world, at the URL pointed at the pilot's objects; and no page they reach
    shows the private names of the mirror territory, which none of them (but the admin) belongs to."""
    access = TABLE[name]
    url = url_for(name, world)
    mismatches = []
    for role in ROLES:
        response = _response_of(client_for(role), url, access)
        mismatches.append(_mismatch(name, access, role, response))
        stranger = role in STRANGERS_TO_THE_MIRROR and not _platform_wide(name, role)
        shown = _shows_the_canary(response) if stranger else None
        if shown:
            mismatches.append(f"{name} shows {role} a private name of another territory: …{shown}")
    mismatches = [m for m in mismatches if m]
    assert not mismatches, "\n".join(mismatches)


CROSSED = [name for name in PROBED if name in KWARGS]

@pytest.mark.parametrize("name", CROSSED)
def test_the_pilot_s_people_get_nothing_of_another_territory(name, mirror, client_for):
    """The same URL pointed at the mirror territory's objects. The pilot's agent, élu, DGS and facilitator
    are strangers there, so each gets what a stranger gets at the pilot's (the outsider's row), but for the
    rights that do not come from a territory; and no page they may not reach shows them a private name. A URL
    that carries a secret token is its own authorisation: whoever holds it may read what it names."""
    access = TABLE[name]
    kwargs = KWARGS[name](mirror)
    url = url_for(name, mirror)
    mismatches = []
    for role in ("agent", "elu", "dgs", "facilitator"):
        response = _response_of(client_for(role), url, access)
        status = response.status_code
        if _platform_wide(name, role):
            mismatches.append(_mismatch(name, access, role, response))
            continue
        if "outsider" in access.who:
            if status >= 500:
                mismatches.append(f"{role}: {status}")
        elif "outsider" in access.hidden_from and status != 404:
            mismatches.append(f"{name} of another territory must not reveal itself to {role}, got {status}")
        elif status not in (403, 404):
            mismatches.append(f"{role} must not reach {name} of another territory, got {status}")
        shown = None if "token" in kwargs else _shows_the_canary(response)
        if shown:
            mismatches.append(f"{name} of another territory shows {role} a private name: …{shown}")
    mismatches = [m for m in mismatches if m]
    assert not mismatches, "\n".join(mismatches)


def test_every_url_with_parameters_has_its_kwargs_in_the_tests():
    with_parameters = set(_names_with_parameters()) & set(PROBED)
    assert sorted(with_parameters - set(KWARGS)) == []
    assert sorted(set(KWARGS) - set(TABLE)) == []


def test_the_mirror_world_names_its_private_objects_with_the_canary(mirror, world):
    assert CANARY in mirror.territory.name and not mirror.territory.is_published
    assert CANARY in mirror.project.title and CANARY in mirror.agents_group.name
    assert CANARY not in world.territory.name


def test_django_admin_is_for_staff_only(client_for, world):
    assert client_for("admin").get(reverse("admin:index")).status_code == 200
    response = client_for("agent").get(reverse("admin:index"))
    assert response.status_code == 302 and "login" in response["Location"]
