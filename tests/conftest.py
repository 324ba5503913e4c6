import itertools
import os
from types import SimpleNamespace

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.apps import apps
from django.conf import settings as django_settings
from django.test import Client
from django.utils import translation

from accounts.models import ActorFamily, PlatformRole

from .factories import (
    CharterFactory,
    UserFactory,
)
from .shared_rows import PEOPLE, WORLD, SharedRows, depth_for, is_transactional
from .worlds import MIRROR, SEEDED, add_canary, build_world

ROLE_USERS = {
    "outsider": dict(email="visiteur@exemple.fr", full_name="Victor Visiteur", family=ActorFamily.AUTRE),
    "agent": dict(email="agent@exemple.fr", full_name="Antoine Agent", family=ActorFamily.AGENT),
    "elu": dict(email="elu@exemple.fr", full_name="Élise Élue", family=ActorFamily.ELU),
    "dgs": dict(email="dgs@exemple.fr", full_name="Dominique DGS", family=ActorFamily.AGENT, function="DGS"),
    "facilitator": dict(
        email="facilitatrice@exemple.fr", full_name="Fanny Accompagnatrice", role=PlatformRole.FACILITATOR
    ),
    "admin": dict(
        email="admin@exemple.fr",
        full_name="Camille Admin",
        role=PlatformRole.ADMIN,
        is_staff=True,
        is_superuser=True,
    ),
}


def _settings_of_the_suite(media_root) -> dict:
    """The settings every test runs with, and the shared rows are built with."""
    return {
        # Hashing passwords the production way costs a quarter of a second per user; tests make hundreds.
        "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
        # Tasks run in process, so their effects can be asserted; the `worker` tests use the real broker.
        "CELERY_TASK_ALWAYS_EAGER": True,
        "STORAGES": {
            **django_settings.STORAGES,
            "default": {
                "BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": str(media_root)},
            },
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
    }


@pytest.fixture(scope="session")
def media_root(tmp_path_factory):
    """One media folder per test process: the shared world's files (logos, PDFs) live there."""
    return tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def _test_settings(settings, media_root, request):
    for name, value in _settings_of_the_suite(media_root).items():
        if name == "CELERY_TASK_ALWAYS_EAGER" and "worker" in request.keywords:
            continue
        setattr(settings, name, value)


@pytest.fixture(autouse=True)
def _platform_language():
    """Each test starts and ends in the platform's language: a request of the test client in English leaves
    English active in the thread (LocaleMiddleware does not deactivate it), which would translate the messages
    of the tests that run after it."""
    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _forget_kept_searches():
    """The library keeps searches, the directory its counts and the home page its content in the cache, which
    outlives a test's rolled back rows: each test starts with none kept."""
    from alliance.selectors import forget_directory_counts
    from library.selectors import forget_searches
    from pages.selectors import forget_home

    forget_searches(again_on_commit=False)
    forget_directory_counts(again_on_commit=False)
    forget_home(again_on_commit=False)


def pytest_configure(config):
    # In CI every run starts from a database built by the migrations, never one left by an earlier run.
    if os.environ.get("CI") and config.getoption("reuse_db", False):
        raise pytest.UsageError("--reuse-db is for local runs: CI builds its test database by migrating")


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """A transactional test (browser, worker) ends with a flush, which wipes the rows that data migrations
    seed (question sets, themes, group kinds…) for the transactional tests after it. Serialized rollback puts
    them back, so every transactional test must ask for it.

    Then, within pytest-django's order (database tests, transactional tests, the others), the tests that share
    the world run first, then those that share the role users only: each shared level is built about once."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker and marker.kwargs.get("transaction") and not marker.kwargs.get("serialized_rollback"):
            raise pytest.UsageError(
                f"{item.nodeid}: use @pytest.mark.django_db(transaction=True, serialized_rollback=True)"
            )

    def order(item):
        transactional = is_transactional(item)
        uses_db = transactional or item.get_closest_marker("django_db") or "db" in item.fixturenames
        bucket = 1 if transactional else 0 if uses_db else 2
        return (bucket, 0 if transactional else -depth_for(item.fixturenames))

    items.sort(key=order)


def _make_user(role):
    user = UserFactory(**ROLE_USERS[role])
    if role == "admin":
        TOTP.activate(user, generate_totp_secret())
    return user


def _build_people(objects):
    objects.users = {"anonymous": None, **{role: _make_user(role) for role in ROLE_USERS}}


_WORLDS = itertools.count(1)


def _build_world(objects):
    objects.world = build_world(objects.users, CharterFactory())
    # Tells caches kept across tests (the fuzz test's form fields) which world their values belong to.
    objects.world._generation = next(_WORLDS)


# The mirror world's own people; the admin is the platform's, the same in both worlds.
MIRROR_USERS = {
    "outsider": dict(email="visiteur.canari@exemple.fr", full_name="Valentin Visiteur"),
    "agent": dict(email="agent.canari@exemple.fr", full_name="Agathe Agente", family=ActorFamily.AGENT),
    "elu": dict(email="elu.canari@exemple.fr", full_name="Émile Élu", family=ActorFamily.ELU),
    "dgs": dict(email="dgs.canari@exemple.fr", full_name="Denis Dgs", family=ActorFamily.AGENT),
    "facilitator": dict(
        email="accompagnateur.canari@exemple.fr",
        full_name="Félix Accompagnateur",
        role=PlatformRole.FACILITATOR,
    ),
}


def _build_mirror(objects):
    users = {
        "anonymous": None,
        **{role: UserFactory(**details) for role, details in MIRROR_USERS.items()},
        "admin": objects.users["admin"],
    }
    objects.mirror = build_world(users, objects.world.charter, MIRROR)
    add_canary(objects.mirror)
    objects.mirror._generation = next(_WORLDS)


SHARED = SharedRows(builders=[_build_people, _build_world, _build_mirror])


@pytest.fixture
def _django_db_helper(_shared_rows, _django_db_helper):
    """pytest-django's per-test transaction, opened once the shared levels this test needs are in place."""
    yield


@pytest.fixture(scope="session")
def _shared_levels(django_db_setup, django_db_blocker, media_root):
    yield SHARED
    SHARED.settle(0, django_db_blocker, {})


@pytest.fixture
def _shared_rows(request, _shared_levels, django_db_blocker, media_root):
    depth = 0 if is_transactional(request.node) else depth_for(request.fixturenames)
    _shared_levels.settle(depth, django_db_blocker, _settings_of_the_suite(media_root))


@pytest.fixture(autouse=True)
def _seeded_rows_are_there(request):
    """Every transactional test starts with the rows of the data migrations: if serialized rollback failed to
    restore them after the previous transactional test (as it once did after each browser test), this fails
    loudly instead of letting the tests that read them fail for an obscure reason — or pass by accident."""
    if not is_transactional(request.node):
        return
    request.getfixturevalue("_django_db_helper")
    empty = [label for label in SEEDED if not apps.get_model(label).objects.exists()]
    assert not empty, f"rows seeded by data migrations are missing: {empty}"


@pytest.fixture
def shared(request, db):
    """This test's copy of the shared objects; a transactional test builds its own, committed ones."""
    if not is_transactional(request.node):
        return SHARED.copy()
    objects = SimpleNamespace(users=None, world=None, mirror=None)
    depth = depth_for(request.fixturenames)
    if depth >= PEOPLE:
        _build_people(objects)
    if depth >= WORLD:
        _build_world(objects)
    return objects


@pytest.fixture
def users(shared):
    return shared.users


@pytest.fixture
def outsider(users):
    return users["outsider"]


@pytest.fixture
def agent(users):
    return users["agent"]


@pytest.fixture
def elu(users):
    return users["elu"]


@pytest.fixture
def dgs(users):
    return users["dgs"]


@pytest.fixture
def facilitator(users):
    return users["facilitator"]


@pytest.fixture
def admin_user(users):
    return users["admin"]


@pytest.fixture
def client_for(users):
    """A test client logged in as the named role ("anonymous" stays logged out)."""

    def make(role):
        client = Client()
        if users[role] is not None:
            client.force_login(users[role])
        return client

    return make


@pytest.fixture
def charter(request, db):
    if "world" in request.fixturenames:
        return request.getfixturevalue("world").charter
    return CharterFactory()


@pytest.fixture
def world(shared):
    """The objects the access table's URLs point at (tests/worlds/)."""
    if shared.world is None:
        # The shared rows are set up before the test's transaction opens, from the fixtures it names.
        raise pytest.UsageError("world asked for by getfixturevalue(): name `world` in the test's arguments")
    return shared.world


@pytest.fixture
def mirror(shared, world):
    """The same objects around another territory, unpublished, with its own team; every private name in it
    carries `tests.worlds.CANARY`."""
    return shared.mirror


@pytest.fixture
def has_totp():
    def check(user):
        return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()

    return check
