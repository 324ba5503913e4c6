"""The signed-in person read in one plain statement: the same person as the ORM's, and the session checks of
Django unchanged (the password's hash, an account deactivated, sessions opened before the change)."""

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.backends import AuthenticationBackend, ModelBackend, user_by_id
from accounts.models import PlatformRole, User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _fields(user):
    return {field.attname: getattr(user, field.attname) for field in User._meta.concrete_fields}


def test_the_person_read_by_id_is_the_one_the_orm_reads_in_one_statement():
    person = UserFactory(role=PlatformRole.FACILITATOR, language="en", is_staff=True)
    person.last_login = timezone.now()
    person.save()
    with CaptureQueriesContext(connection) as captured:
        read = user_by_id(person.pk)
    assert len(captured) == 1
    assert _fields(read) == _fields(User.objects.get(pk=person.pk))
    assert read._state.db == "default" and not read._state.adding
    assert read.get_deferred_fields() == set()


def test_a_person_never_signed_in_is_read_with_no_last_login():
    person = UserFactory()
    assert user_by_id(person.pk).last_login is None


def test_an_unknown_id_reads_nobody():
    assert user_by_id(10**9) is None


@pytest.mark.parametrize("backend", [ModelBackend, AuthenticationBackend])
def test_both_backends_give_an_active_person_and_refuse_a_deactivated_one(backend):
    person = UserFactory()
    assert backend().get_user(person.pk) == person
    User.objects.filter(pk=person.pk).update(is_active=False)
    assert backend().get_user(person.pk) is None


def test_a_password_change_ends_the_persons_other_sessions():
    person = UserFactory()
    elsewhere, here = Client(), Client()
    elsewhere.force_login(person)
    here.force_login(person)
    assert elsewhere.get(reverse("dashboards:my_space")).status_code == 200
    person.set_password("un autre mot de passe bien long")
    person.save()
    response = elsewhere.get(reverse("dashboards:my_space"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse(settings.LOGIN_URL))


@pytest.mark.parametrize(
    "old_path",
    ["django.contrib.auth.backends.ModelBackend", "allauth.account.auth_backends.AuthenticationBackend"],
)
def test_a_session_opened_under_a_replaced_backend_stays_signed_in(old_path):
    person = UserFactory()
    client = Client()
    client.force_login(person)
    session = client.session
    session[BACKEND_SESSION_KEY] = old_path
    session.save()
    response = client.get(reverse("dashboards:my_space"))
    assert response.status_code == 200
    assert response.context["user"] == person


def test_a_session_naming_an_unknown_backend_is_signed_out():
    person = UserFactory()
    client = Client()
    client.force_login(person)
    session = client.session
    session[BACKEND_SESSION_KEY] = "somewhere.else.Backend"
    session.save()
    assert client.get(reverse("dashboards:my_space")).status_code == 302
