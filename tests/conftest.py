from types import SimpleNamespace

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.test import Client

from accounts.models import ActorFamily, PlatformRole
from alliance.models import MembershipKind, MembershipStatus, OrganisationPerson

from .factories import CharterFactory, MembershipFactory, OrganisationFactory, UserFactory, png_upload

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
    return SimpleNamespace(
        charter=charter,
        public_organisation=public_organisation,
        agent_membership=agent_membership,
        candidate_membership=candidate_membership,
        personal_membership=personal_membership,
        users=users,
    )


@pytest.fixture
def has_totp():
    def check(user):
        return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()

    return check
