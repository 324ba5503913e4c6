"""The language a person reads the platform and their e-mails in: recorded on their account when they choose
it (the language switch, the profile) or sign in reading English, and followed on every device."""

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from core.models import AuditEntry
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def _switch(client, language):
    return client.post(reverse("set_language"), {"language": language, "next": "/"}, secure=True)


def test_choosing_english_while_signed_in_records_it_on_the_account(client_for, outsider):
    client = client_for("outsider")

    response = _switch(client, "en")

    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    outsider.refresh_from_db()
    assert outsider.language == "en" and outsider.reading_language == "en"
    assert AuditEntry.objects.filter(action="profile.language", target_id=str(outsider.pk)).exists()

    _switch(client, "fr")
    outsider.refresh_from_db()
    assert outsider.language == "fr"


def test_an_unknown_language_is_not_recorded(client_for, outsider):
    _switch(client_for("outsider"), "de")
    outsider.refresh_from_db()
    assert outsider.language == "" and outsider.reading_language == "fr"


def test_choosing_a_language_signed_out_only_sets_the_cookie(client):
    response = _switch(client, "en")
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert not AuditEntry.objects.filter(action="profile.language").exists()


def test_a_signed_in_person_reads_the_platform_in_their_accounts_language_on_any_device(outsider):
    outsider.language = "en"
    outsider.save(update_fields=["language"])
    phone = Client()  # a device that never chose: no cookie, a French browser
    phone.force_login(outsider)

    html = phone.get(reverse("dashboards:my_space"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()

    assert '<html lang="en">' in html
    # Signed out, the device is back to its own language.
    phone.logout()
    assert '<html lang="fr">' in phone.get(reverse("pages:home"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()


def test_someone_who_never_chose_keeps_the_english_they_signed_in_with():
    cache.clear()  # allauth's login rate limits
    person = UserFactory(email="nadia@exemple.fr")
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = client.post(
        reverse("account_login"), {"login": person.email, "password": PASSWORD}, secure=True
    )

    assert response.status_code == 302
    person.refresh_from_db()
    assert person.language == "en"


def test_signing_in_in_french_records_nothing_and_an_earlier_choice_stays():
    cache.clear()
    french, english = UserFactory(), UserFactory(language="en")
    for person in (french, english):
        client = Client()
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
        client.post(reverse("account_login"), {"login": person.email, "password": PASSWORD}, secure=True)
        person.refresh_from_db()
    assert french.language == ""
    assert english.language == "en"


def test_the_profile_sets_the_language(client_for, outsider):
    client = client_for("outsider")
    profile = {
        "full_name": "Victor Visiteur",
        "function": "",
        "phone": "",
        "family": "autre",
        "language": "en",
    }

    response = client.post(reverse("accounts:profile"), profile)

    assert response.status_code == 302
    outsider.refresh_from_db()
    assert outsider.language == "en"
    assert '<html lang="en">' in client.get(response["Location"]).content.decode()
