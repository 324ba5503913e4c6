from types import SimpleNamespace

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
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
from .worlds import WORLD_BUILDERS, restore_seeded_rows

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


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path, request):
    # Hashing passwords the production way costs a quarter of a second per user; tests make hundreds.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    if "worker" not in request.keywords:
        # Tasks run in process, so their effects can be asserted; the `worker` tests use the real broker.
        settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }
    settings.STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}


def pytest_collection_modifyitems(items):
    """A transactional test (browser, worker) ends with a flush, which wipes the rows that data migrations
    seed (question sets, themes, group kinds…) for the transactional tests after it. Serialized rollback puts
    them back, so every transactional test must ask for it."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker and marker.kwargs.get("transaction") and not marker.kwargs.get("serialized_rollback"):
            raise pytest.UsageError(
                f"{item.nodeid}: use @pytest.mark.django_db(transaction=True, serialized_rollback=True)"
            )


def _make_user(role):
    user = UserFactory(**ROLE_USERS[role])
    if role == "admin":
        TOTP.activate(user, generate_totp_secret())
    return user


@pytest.fixture
def outsider(db):
    return _make_user("outsider")


@pytest.fixture
def agent(db):
    return _make_user("agent")


@pytest.fixture
def elu(db):
    return _make_user("elu")


@pytest.fixture
def dgs(db):
    return _make_user("dgs")


@pytest.fixture
def facilitator(db):
    return _make_user("facilitator")


@pytest.fixture
def admin_user(db):
    return _make_user("admin")


@pytest.fixture
def users(outsider, agent, elu, dgs, facilitator, admin_user):
    return {
        "anonymous": None,
        "outsider": outsider,
        "agent": agent,
        "elu": elu,
        "dgs": dgs,
        "facilitator": facilitator,
        "admin": admin_user,
    }


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
def charter(db):
    return CharterFactory()


@pytest.fixture
def world(users, charter):
    """The objects the access table's URLs point at."""
    restore_seeded_rows()
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
