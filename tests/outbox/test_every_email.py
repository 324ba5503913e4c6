"""Every e-mail the platform sends, in French and in English: the platform's own words (allauth's texts
replaced), a plain-text and an HTML part saying the same, the platform's name and never a host name, a
link to what the e-mail is about, the link to the notification preferences and the contact address."""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from accounts.adapter import AccountAdapter
from alliance.notifications import ANNOUNCED, MEMBERSHIP, queue_membership_email
from notifications.emails import DIGEST, IMMEDIATE, queue_digests
from notifications.models import Frequency, Notification
from notifications.services import notify, preferences_save
from outbox import registry
from outbox.models import OutgoingEmail
from territories.notifications import INVITATION, queue_invitation_email
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

SITE = "https://fabrique.exemple.fr"
# What allauth builds from the request's host: the e-mail must carry the platform's address instead.
REQUEST = "http://127.0.0.1:8102"
LANGUAGES = ("fr", "en")

ACCOUNT_EMAILS = {
    "account/email/email_confirmation_signup": {"activate_url": f"{REQUEST}/comptes/confirm-email/Q2xl/"},
    "account/email/email_confirmation": {"activate_url": f"{REQUEST}/comptes/confirm-email/Q2xl/"},
    "account/email/password_reset_key": {
        "password_reset_url": f"{REQUEST}/comptes/password/reset/key/1-cle/"
    },
    "account/email/unknown_account": {"signup_url": f"{REQUEST}/comptes/signup/"},
    "account/email/account_already_exists": {
        "password_reset_url": f"{REQUEST}/comptes/password/reset/",
        "signup_url": f"{REQUEST}/comptes/signup/",
    },
    "account/email/password_changed": {},
    "account/email/password_set": {},
    "account/email/password_reset": {},
    "account/email/email_changed": {"from_email": "ancienne@exemple.fr", "to_email": "claire@exemple.fr"},
    "account/email/email_deleted": {"deleted_email": "ancienne@exemple.fr"},
    "mfa/email/totp_activated": {},
    "mfa/email/totp_deactivated": {},
    "mfa/email/recovery_codes_generated": {},
}


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE


def _check(subject, text, html, language, action_url):
    """What every e-mail must hold, whatever it says."""
    preferences = SITE + reverse("notifications:preferences")
    for part in (text, html):
        assert "La Fabrique des Transitions" in part
        assert settings.CONTACT_EMAIL in part
    assert f"{action_url}\n" in text
    assert f'href="{action_url}"' in html
    assert preferences in text and f'href="{preferences}"' in html
    assert f'href="mailto:{settings.CONTACT_EMAIL}"' in html
    assert f'<html lang="{language}">' in html
    assert "<p>" not in text and "<p>" in html
    # A host name only ever inside a link or the contact address: the platform names itself by its name.
    words = re.sub(r"https?://\S+", "", f"{subject}\n{text}").replace(settings.CONTACT_EMAIL, "")
    for host in ("fabrique.exemple.fr", "127.0.0.1", "testserver", "localhost", "example.com"):
        assert host not in words, f"{host} in {subject!r}"
    assert "127.0.0.1" not in text + html, "links are built on SITE_URL, not on the request's host"
    if language == "fr":
        assert "Bonjour" in text
    else:
        assert "Hello" in text
        for french in ("Bonjour", " vous ", "Vous ", " votre ", "Votre ", "ci-dessous"):
            assert french not in f"{subject}\n{text}", f"{french!r} in the English e-mail {subject!r}"
    return text


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("template", ACCOUNT_EMAILS)
def test_each_account_email_is_the_platforms_own_in_both_languages(template, language, agent):
    context = {"user": agent, "timestamp": timezone.now(), "ip": "203.0.113.5", "user_agent": "Firefox"}
    context.update(ACCOUNT_EMAILS[template])
    with translation.override(language):
        AccountAdapter().send_mail(template, "claire@exemple.fr", context)
    email = OutgoingEmail.objects.get(kind=registry.RENDERED)
    assert email.language == language and email.to == "claire@exemple.fr"
    link = next(
        (context[key] for key in ("activate_url", "password_reset_url", "signup_url") if key in context), ""
    )
    expected = link.replace(REQUEST, SITE) if link else None
    action = re.search(r"\n(https://fabrique\.exemple\.fr/\S*)\n", email.text).group(1)
    if expected:
        assert action == expected
    text = _check(email.subject, email.text, email.html, language, action)
    for value in ("ancienne@exemple.fr",):
        if value in context.values():
            assert value in text
    assert "Hello from" not in text and "Thank you for using" not in text


def _notification(users, title="La note de cadrage est soumise"):
    return Notification.objects.create(
        recipient=users["facilitator"],
        kind="projects.submitted",
        actor=users["agent"],
        title=title,
        excerpt="<p>Parties prenantes : les 5 EPCI.</p>",
        url=reverse("notifications:list"),
    )


def _render(email, language):
    with translation.override(language):
        message = registry.render(email)
    return message


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_immediate_notification_email_in_both_languages(language, users):
    notification = _notification(users)
    message = _render(OutgoingEmail(kind=IMMEDIATE, to="x@exemple.fr", object_id=notification.pk), language)
    text = _check(message.subject, message.text, message.html, language, SITE + notification.url)
    assert message.subject == "La note de cadrage est soumise"
    assert "Parties prenantes : les 5 EPCI." in text and "<p>Parties" not in text
    assert "Antoine Agent" in text


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_daily_digest_in_both_languages(language, users):
    first = _notification(users)
    second = _notification(users, title="La note d'intention est validée")
    email = OutgoingEmail(
        kind=DIGEST,
        to="x@exemple.fr",
        object_id=users["facilitator"].pk,
        params={"notifications": [first.pk, second.pk]},
    )
    message = _render(email, language)
    text = _check(message.subject, message.text, message.html, language, SITE + reverse("notifications:list"))
    assert "La note de cadrage est soumise" in text and "La note d'intention est validée" in text
    assert "2 notifications" in message.subject


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_invitation_email_in_both_languages(language, world):
    message = _render(
        OutgoingEmail(kind=INVITATION, to="x@exemple.fr", object_id=world.invitation.pk), language
    )
    url = SITE + reverse("territories:invitation", args=[world.invitation.token])
    text = _check(message.subject, message.text, message.html, language, url)
    assert "Pôle Territorial du Tarn" in message.subject
    assert "Antoine Agent" in text
    assert message.reply_to == [world.users["agent"].email]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("status", ANNOUNCED)
def test_each_membership_email_in_both_languages(status, language, world):
    membership = world.candidate_membership
    membership.reason = "Le mandat ne permet pas d'engager le réseau."
    membership.save(update_fields=["reason"])
    email = OutgoingEmail(
        kind=MEMBERSHIP, to="x@exemple.fr", object_id=membership.pk, params={"status": status}
    )
    message = _render(email, language)
    url = SITE + reverse("alliance:membership", args=[membership.pk])
    text = _check(message.subject, message.text, message.html, language, url)
    assert "Réseau candidat" in text
    if status in ("refused", "suspended"):
        assert "Le mandat ne permet pas" in text


def test_the_english_and_french_emails_differ_and_keep_the_same_links(users):
    notification = _notification(users)
    email = OutgoingEmail(kind=IMMEDIATE, to="x@exemple.fr", object_id=notification.pk)
    french, english = _render(email, "fr"), _render(email, "en")
    assert french.text != english.text
    links = re.compile(r"https?://\S+")
    assert links.findall(french.text) == links.findall(english.text)


def test_a_sign_up_in_english_queues_the_english_verification_on_the_sites_address(client):
    cache.clear()  # allauth sends one verification per address every 3 minutes (ACCOUNT_RATE_LIMITS)
    response = client.post(
        reverse("account_signup"),
        {
            "email": "nadia.english@exemple.fr",
            "full_name": "Nadia Nouvelle",
            "function": "Chargée de mission",
            "family": "agent",
            "password1": "Une-Transition-Douce-2026",
            "password2": "Une-Transition-Douce-2026",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 302, response.content.decode()[:300]
    email = OutgoingEmail.objects.get(to="nadia.english@exemple.fr")
    assert email.language == "en"
    assert email.subject == "Confirm your email address"
    assert re.search(rf"\n{re.escape(SITE)}/comptes/confirm-email/\S+/\n", email.text)
    assert "Welcome to the La Fabrique des Transitions platform" in email.text


def test_changing_ones_password_sends_a_notice(agent):
    cache.clear()
    client = Client()
    client.post(reverse("account_login"), {"login": agent.email, "password": PASSWORD})
    response = client.post(
        reverse("account_change_password"),
        {
            "oldpassword": PASSWORD,
            "password1": "un-nouveau-mot-de-passe-2026",
            "password2": "un-nouveau-mot-de-passe-2026",
        },
    )
    assert response.status_code == 302
    notice = OutgoingEmail.objects.get(to=agent.email)
    assert notice.subject == "Votre mot de passe a été changé"
    assert f"{SITE}{reverse('account_change_password')}\n" in notice.text


@pytest.mark.parametrize("name", ["pages:home", "pages:legal", "pages:accessibility"])
def test_the_contact_address_is_on_the_home_the_legal_notice_and_the_accessibility_statement(name, client):
    page = client.get(reverse(name)).content.decode()
    assert f'href="mailto:{settings.CONTACT_EMAIL}"' in page


def test_allauths_own_templates_are_never_the_ones_found():
    from django.template.loader import get_template

    for template in ACCOUNT_EMAILS:
        for suffix in ("_subject.txt", "_message.txt"):
            origin = get_template(template + suffix).origin.name
            assert "site-packages" not in origin, origin


def test_production_refuses_to_start_without_a_contact_address():
    from tests.test_security import PRODUCTION_ENV, run_python

    env = {key: value for key, value in PRODUCTION_ENV.items() if key != "CONTACT_EMAIL"}
    result = run_python("import fabrique.settings", env=env)
    assert result.returncode != 0
    assert "CONTACT_EMAIL must be set" in result.stderr
    result = run_python("import fabrique.settings as s; print(s.CONTACT_EMAIL)", env=PRODUCTION_ENV)
    assert result.stdout.strip() == "contact@fabrique.example.org", result.stderr


# --- Each e-mail in its recipient's language ---------------------------------------------------------


def _english(user):
    user.language = "en"
    user.save(update_fields=["language"])
    return user


def test_a_notification_email_is_written_in_each_recipients_language(
    users, django_capture_on_commit_callbacks
):
    english, french = _english(users["facilitator"]), users["dgs"]
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            kind="library.published",
            recipients=[english, french],
            actor=None,
            message="library.published",
            params={"title": "Guide des tiers-lieux"},
            url=reverse("notifications:list"),
        )
    queued = dict(OutgoingEmail.objects.filter(kind=IMMEDIATE).values_list("to", "language"))
    assert queued == {english.email: "en", french.email: "fr"}

    sent = {message.to[0]: message for message in mail.outbox}
    assert sent[english.email].subject.endswith("Your resource has been published: Guide des tiers-lieux")
    assert sent[english.email].body.startswith("Hello Fanny,")
    assert "Votre ressource" not in sent[english.email].body
    assert sent[french.email].subject.endswith("Votre ressource est publiée : Guide des tiers-lieux")
    assert sent[french.email].body.startswith("Bonjour Dominique,")


def test_the_daily_digest_is_written_in_its_recipients_language(users, django_capture_on_commit_callbacks):
    english = _english(users["facilitator"])
    preferences_save(actor=english, frequencies={"library.published": Frequency.DIGEST})
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            kind="library.published",
            recipients=[english],
            actor=None,
            message="library.published",
            params={"title": "Guide des tiers-lieux"},
            url=reverse("notifications:list"),
        )
        queue_digests()
    [message] = mail.outbox
    assert OutgoingEmail.objects.get(kind=DIGEST).language == "en"
    assert message.subject.endswith("Your daily summary: 1 notification")
    assert "Your resource has been published: Guide des tiers-lieux" in message.body
    assert "Bonjour" not in message.body


def test_a_membership_email_is_written_in_the_signatorys_language(world, django_capture_on_commit_callbacks):
    membership = world.candidate_membership
    _english(membership.signatory)
    with django_capture_on_commit_callbacks(execute=True):
        queue_membership_email(membership)
    assert OutgoingEmail.objects.get(kind=MEMBERSHIP).language == "en"
    [message] = mail.outbox
    assert "Hello" in message.body and "Bonjour" not in message.body


def test_an_invitation_is_written_in_the_language_of_the_invited_persons_account_else_in_french(
    world, django_capture_on_commit_callbacks
):
    invitation = world.invitation  # to an address without an account
    with django_capture_on_commit_callbacks(execute=True):
        queue_invitation_email(invitation)
    assert OutgoingEmail.objects.filter(kind=INVITATION).latest("pk").language == "fr"

    UserFactory(email=invitation.email.upper(), language="en")
    with django_capture_on_commit_callbacks(execute=True):
        queue_invitation_email(invitation)
    assert OutgoingEmail.objects.filter(kind=INVITATION).latest("pk").language == "en"
    assert "Hello" in mail.outbox[-1].body and "Bonjour" not in mail.outbox[-1].body


def _ask_for_a_new_password(email, page_language):
    cache.clear()  # allauth's rate limits on password resets (ACCOUNT_RATE_LIMITS)
    response = Client().post(
        reverse("account_reset_password"), {"email": email}, HTTP_ACCEPT_LANGUAGE=page_language
    )
    assert response.status_code == 302, response.content.decode()[:300]
    return OutgoingEmail.objects.filter(to=email).latest("pk")


def test_a_password_reset_asked_from_a_french_page_is_written_in_the_accounts_english(users):
    english = _english(users["facilitator"])
    email = _ask_for_a_new_password(english.email, "fr")
    assert email.language == "en"
    assert "Hello" in email.text and "Bonjour" not in email.text


def test_a_password_reset_is_written_in_the_pages_language_when_the_account_chose_none(users):
    person = users["dgs"]
    assert not person.language
    email = _ask_for_a_new_password(person.email, "en")
    assert email.language == "en"
    assert "Hello" in email.text
