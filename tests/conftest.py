import itertools
from types import SimpleNamespace

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.apps import apps
from django.conf import settings as django_settings
from django.test import Client

from accounts.models import ActorFamily, PlatformRole
from alliance.models import MembershipKind, MembershipStatus, OrganisationPerson
from territories import services as territory_services
from territories.models import Diagnostic, Milestone, MilestoneKind, Recommendation, TeamMember, TeamRole

from .factories import (
    CharterFactory,
    CommuneFactory,
    EpciFactory,
    MembershipFactory,
    OrganisationFactory,
    TerritoryFactory,
    UserFactory,
    png_upload,
)
from .shared_rows import PEOPLE, WORLD, SharedRows, depth_for, is_transactional
from .worlds import SEEDED, WORLD_BUILDERS

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


SHARED = SharedRows(builders=[_build_people, _build_world])


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
    objects = SimpleNamespace(users=None, world=None)
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
    return shared.world


def build_world(users, charter):
    public_organisation = OrganisationFactory(name="Pôle Territorial du Tarn", logo=png_upload())
    agent_membership = MembershipFactory(
        organisation=public_organisation, signatory=users["agent"], status=MembershipStatus.ACCEPTED
    )
    OrganisationPerson.objects.create(
        organisation=public_organisation, person=users["agent"], is_referent=True
    )
    candidate_membership = MembershipFactory(
        organisation=OrganisationFactory(name="Réseau candidat"), signatory=users["dgs"]
    )
    personal_membership = MembershipFactory(
        kind=MembershipKind.PERSON,
        organisation=None,
        signatory=users["elu"],
        status=MembershipStatus.ACCEPTED,
    )
    territory, other_territory = _territories(users, public_organisation)
    world = SimpleNamespace(
        territory=territory,
        other_territory=other_territory,
        dgs_member=TeamMember.objects.get(territory=territory, user=users["dgs"]),
        invitation=territory.invitations.get(),
        milestone=territory.milestones.get(),
        recommendation=Recommendation.objects.get(diagnostic__territory=territory),
        assessment=territory.assessments.get(),
        charter=charter,
        public_organisation=public_organisation,
        agent_membership=agent_membership,
        candidate_membership=candidate_membership,
        personal_membership=personal_membership,
        users=users,
    )
    for build in WORLD_BUILDERS:
        build(world)
    return world


@pytest.fixture
def has_totp():
    def check(user):
        return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()

    return check


def _territories(users, carrier):
    """The published pilot territory of the agent (manager), the DGS and the élu, followed by the facilitator;
    and another territory that the outsider manages."""
    epci = EpciFactory(name="CC du Carmausin-Ségala", siren="200040905")
    CommuneFactory.create_batch(3, epci=epci, population=1000)
    territory = TerritoryFactory(
        name="Pôle Territorial du Tarn",
        epci=epci,
        is_pilot=True,
        pilot_since=2021,
        is_published=True,
        carrier=carrier,
        logo=png_upload(),
    )
    territory_services.territory_refresh(territory)
    territory.facilitators.add(users["facilitator"])
    TeamMember.objects.create(territory=territory, user=users["agent"], role=TeamRole.AGENT, is_manager=True)
    TeamMember.objects.create(territory=territory, user=users["dgs"], role=TeamRole.DGS)
    TeamMember.objects.create(territory=territory, user=users["elu"], role=TeamRole.ELU)
    territory_services.invitation_create(
        actor=users["agent"],
        territory=territory,
        email="nouvelle.collegue@exemple.fr",
        role=TeamRole.TECHNICIEN,
    )
    Milestone.objects.create(
        territory=territory,
        kind=MilestoneKind.STRATEGY,
        plan="PCAET",
        title="PCAET",
        start_year=2017,
        end_year=2018,
    )
    diagnostic = Diagnostic.objects.create(
        territory=territory,
        date="2021-06-01",
        authors="La Fabrique des Transitions",
        findings="Des actions sectorielles.",
    )
    Recommendation.objects.create(diagnostic=diagnostic, number=1, text="Organiser des groupes de pairs.")
    territory_services.assessment_record(
        actor=users["agent"],
        territory=territory,
        date="2022-01-15",
        scores={f: {"level": 2, "evidence": "", "comment": ""} for f in (1, 2, 3, 4)},
    )
    other = TerritoryFactory(name="Autre territoire")
    TeamMember.objects.create(territory=other, user=users["outsider"], role=TeamRole.AGENT, is_manager=True)
    return territory, other
