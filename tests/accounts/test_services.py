"""The person's own writes on their account."""

import pytest

from accounts import services
from core.audit import history_of
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_profile_update_saves_the_profile_fields_and_is_audited():
    person = UserFactory(full_name="Avant")
    person.full_name = "Après"
    person.function = "Chargée de mission"
    services.profile_update(user=person)
    person.refresh_from_db()
    assert (person.full_name, person.function) == ("Après", "Chargée de mission")
    entry = history_of(person).get()
    assert (entry.action, entry.actor) == ("profile.update", person)


def test_a_profile_update_leaves_the_fields_outside_the_profile_alone():
    person = UserFactory()
    person.email = "autre@example.org"
    services.profile_update(user=person)
    person.refresh_from_db()
    assert person.email != "autre@example.org"
