"""Security from the first commit: CSP, production settings, sessions, re-authentication, admins' 2FA,
rate limits, sign-up with verification, sanitized user text and checked uploads."""

import io
import os
import re
import secrets
import struct
import subprocess
import sys
import time
import zlib
from datetime import timedelta
from pathlib import Path

import pytest
from allauth.account.internal.flows.login import AUTHENTICATION_METHODS_SESSION_KEY
from allauth.account.models import EmailAddress
from allauth.core.internal.ratelimit import parse_rates
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY, format_hotp_value, hotp_value
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import get_resolver, reverse
from django.utils import timezone
from PIL import Image

from accounts.models import ActorFamily, PlatformRole, Session, User
from core.access import TABLE
from core.text import render_user_text
from core.uploads import validate_image
from tests.factories import PASSWORD, UserFactory, png_bytes

from .url_kwargs import url_for

BASE_DIR = Path(__file__).resolve().parent.parent

# --- Content-Security-Policy ----------------------------------------------------------------------

get_resolver().url_patterns  # noqa: B018 - importing the URL configuration fills the access table
GET_PAGES = sorted(name for name, access in TABLE.items() if access.probe and access.get)


def parse_csp(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        tokens = part.split()
        if tokens:
            directives[tokens[0]] = tokens[1:]
    return directives


def assert_strict_csp(response) -> str | None:
    """The policy of the response; returns the script nonce when there is one."""
    header = response.get("Content-Security-Policy")
    assert header, f"no Content-Security-Policy on {response.request['PATH_INFO']}"
    csp = parse_csp(header)
    assert "'self'" in csp["script-src"]
    for directive in csp.values():
        assert "'unsafe-inline'" not in directive
        assert "'unsafe-eval'" not in directive
    assert csp["object-src"] == ["'none'"]
    assert csp["base-uri"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["default-src"] == ["'self'"]
    nonces = [token for token in csp["script-src"] if token.startswith("'nonce-")]
    return nonces[0][len("'nonce-") : -1] if nonces else None


def assert_scripts_carry_the_nonce(response):
    nonce = assert_strict_csp(response)
    content = response.content.decode()
    assert "<html" in content
    assert nonce, "an HTML page loads its scripts with the nonce of its policy"
    scripts = re.findall(r"<script\b[^>]*>", content, flags=re.IGNORECASE)
    assert scripts, "the layout loads htmx"
    for tag in scripts:
        assert f'nonce="{nonce}"' in tag, f"{tag} has not the nonce of the header"
        assert "src=" in tag, f"{tag} is an inline script"
    assert not re.search(r"\son[a-z]+\s*=", content, flags=re.IGNORECASE), "inline event handler"


@pytest.mark.parametrize("role", ["anonymous", "admin"])
@pytest.mark.parametrize("name", GET_PAGES)
def test_every_page_has_a_strict_content_security_policy(name, role, world, client_for):
    response = client_for(role).get(url_for(name, world))
    assert response.status_code < 500
    assert_strict_csp(response)
    if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
        assert_scripts_carry_the_nonce(response)


def test_the_nonce_changes_with_each_response(client, db):
    first = assert_strict_csp(client.get(reverse("pages:home")))
    second = assert_strict_csp(client.get(reverse("pages:home")))
    assert first and second and first != second


@pytest.mark.parametrize("path", ["/cette-page-n-existe-pas/", "/alliance/organisations/999999/"])
def test_error_pages_have_the_policy_and_the_nonce(path, client, db):
    response = client.get(path)
    assert response.status_code == 404
    assert_scripts_carry_the_nonce(response)


def test_the_403_page_has_the_policy_and_the_nonce(client_for, world):
    response = client_for("outsider").get(reverse("alliance:review_queue"))
    assert response.status_code == 403
    assert_scripts_carry_the_nonce(response)


def test_htmx_is_configured_without_eval_or_script_tags(client, db):
    content = client.get(reverse("pages:home")).content.decode()
    assert '"allowEval": false' in content
    assert '"allowScriptTags": false' in content


def test_pages_cannot_be_framed_and_types_are_not_sniffed(client, db):
    response = client.get(reverse("pages:home"))
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


# --- Production settings --------------------------------------------------------------------------

PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": secrets.token_urlsafe(60),
    "DATABASE_URL": "postgres://fabrique:secret@db.internal:5432/fabrique",
    "ALLOWED_HOSTS": "fabrique.example.org",
    "CONTACT_EMAIL": "contact@fabrique.example.org",
}


def run_python(code: str = "", *, env: dict, args: list[str] | None = None) -> subprocess.CompletedProcess:
    """Python in a fresh process, with only the given environment (the suite's own is left out)."""
    base = {"PATH": os.environ.get("PATH", ""), "HOME": os.environ.get("HOME", "/tmp"), "LANG": "C.UTF-8"}
    return subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, *(args if args is not None else ["-c", code])],
        env={**base, **env},
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )


PRINT_SETTINGS = """
import json
import fabrique.settings as s
print(json.dumps({name: getattr(s, name, None) for name in [
    "DEBUG", "SESSION_COOKIE_NAME", "CSRF_COOKIE_NAME", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY", "CSRF_COOKIE_HTTPONLY", "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_SSL_REDIRECT", "SESSION_COOKIE_AGE",
    "SESSION_SAVE_EVERY_REQUEST", "SESSION_ABSOLUTE_SECONDS", "SESSION_REFRESH_SECONDS", "DATABASES",
    "ALLOWED_HOSTS", "SECURE_CONTENT_TYPE_NOSNIFF", "X_FRAME_OPTIONS",
]}))
"""


@pytest.fixture(scope="module")
def production_settings():
    import json

    result = run_python(PRINT_SETTINGS, env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_production_cookies_are_secure_httponly_and_host_prefixed(production_settings):
    s = production_settings
    assert s["DEBUG"] is False
    assert s["SESSION_COOKIE_NAME"].startswith("__Host-")
    assert s["CSRF_COOKIE_NAME"].startswith("__Host-")
    assert s["SESSION_COOKIE_SECURE"] is True
    assert s["CSRF_COOKIE_SECURE"] is True
    assert s["SESSION_COOKIE_HTTPONLY"] is True
    assert s["CSRF_COOKIE_HTTPONLY"] is True


def test_production_has_hsts_for_at_least_a_year_and_redirects_to_https(production_settings):
    assert production_settings["SECURE_HSTS_SECONDS"] >= 365 * 24 * 3600
    assert production_settings["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert production_settings["SECURE_SSL_REDIRECT"] is True
    assert production_settings["ALLOWED_HOSTS"] == ["fabrique.example.org"]


def test_production_sessions_have_an_idle_timeout_and_an_absolute_lifetime(production_settings):
    s = production_settings
    assert 0 < s["SESSION_COOKIE_AGE"] <= 12 * 3600
    # Renewed by the session middleware at most once a minute, not by a write on every request.
    assert s["SESSION_SAVE_EVERY_REQUEST"] is False
    assert 0 < s["SESSION_REFRESH_SECONDS"] <= 60
    assert s["SESSION_COOKIE_AGE"] <= s["SESSION_ABSOLUTE_SECONDS"] <= 24 * 3600


def test_production_keeps_database_connections_and_checks_them_before_use(production_settings):
    database = production_settings["DATABASES"]["default"]
    assert database["CONN_MAX_AGE"] > 0
    assert database["CONN_HEALTH_CHECKS"] is True


def test_production_refuses_to_start_without_a_secret_key():
    env = {key: value for key, value in PRODUCTION_ENV.items() if key != "SECRET_KEY"}
    result = run_python("import fabrique.settings", env=env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY must be set" in result.stderr


def test_an_empty_secret_key_is_refused_too():
    result = run_python("import fabrique.settings", env={**PRODUCTION_ENV, "SECRET_KEY": ""})
    assert result.returncode != 0 and "ImproperlyConfigured" in result.stderr


def test_only_a_developer_machine_gets_a_default_secret_key():
    env = {key: value for key, value in PRODUCTION_ENV.items() if key != "SECRET_KEY"}
    result = run_python("import fabrique.settings as s; print(s.SECRET_KEY)", env={**env, "DEBUG": "1"})
    assert result.returncode == 0, result.stderr
    assert "insecure" in result.stdout


def test_the_deployment_check_passes_with_production_settings():
    result = run_python(
        env=PRODUCTION_ENV, args=["manage.py", "check", "--deploy", "--fail-level", "WARNING"]
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_test_suite_itself_runs_with_debug_off():
    assert settings.DEBUG is False


# --- Sessions -------------------------------------------------------------------------------------


def _is_login_redirect(response):
    return response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def _expire_soon(client):
    """The stored session about to expire, and last saved long enough ago to be renewed."""
    session = client.session
    session["session_refreshed_at"] = int(time.time()) - settings.SESSION_REFRESH_SECONDS
    session.save()
    Session.objects.filter(session_key=session.session_key).update(
        expire_date=timezone.now() + timedelta(minutes=1)
    )


def _expire_date(client):
    return Session.objects.get(session_key=client.session.session_key).expire_date


def test_sessions_have_an_idle_timeout_renewed_by_requests(outsider, client):
    assert 0 < settings.SESSION_COOKIE_AGE <= 12 * 3600
    client.force_login(outsider)
    response = client.get(reverse("dashboards:my_space"))
    assert response.status_code == 200
    assert int(response.cookies[settings.SESSION_COOKIE_NAME]["max-age"]) == settings.SESSION_COOKIE_AGE

    _expire_soon(client)
    response = client.get(reverse("dashboards:my_space"))
    assert response.status_code == 200
    assert _expire_date(client) > timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE - 60)
    assert int(response.cookies[settings.SESSION_COOKIE_NAME]["max-age"]) == settings.SESSION_COOKIE_AGE


def test_a_session_renewed_less_than_a_minute_ago_is_not_written_again_by_reading_a_page(outsider, client):
    client.force_login(outsider)
    client.get(reverse("pages:robots"))
    saved = _expire_date(client)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("pages:robots"))
    assert response.status_code == 200
    statements = [query["sql"] for query in captured.captured_queries]
    assert not [sql for sql in statements if sql.split(None, 1)[0] in ("INSERT", "UPDATE", "DELETE")]
    # The session and the person: nothing else on a signed-in request that asks nothing of the database.
    assert len(statements) <= 2, statements
    assert settings.SESSION_COOKIE_NAME not in response.cookies
    assert _expire_date(client) == saved


def test_a_session_is_renewed_when_its_last_save_is_a_minute_old(outsider, client):
    client.force_login(outsider)
    client.get(reverse("pages:robots"))
    _expire_soon(client)
    response = client.get(reverse("pages:robots"))
    assert settings.SESSION_COOKIE_NAME in response.cookies
    assert _expire_date(client) > timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE - 60)


def test_a_session_changed_by_a_request_is_saved_and_renewed_at_once(outsider, client):
    client.force_login(outsider)
    client.get(reverse("pages:robots"))
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() + timedelta(minutes=1)
    )
    session = client.session
    session["charter_pending"] = (False, 0)  # checked again by the next request, which writes the answer
    session.save()
    client.get(reverse("pages:robots"))
    assert _expire_date(client) > timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE - 60)


def test_an_anonymous_visit_creates_no_session(client, db):
    sessions = Session.objects.count()
    response = client.get(reverse("pages:robots"))
    assert settings.SESSION_COOKIE_NAME not in response.cookies
    assert Session.objects.count() == sessions


def test_an_idle_session_is_over(outsider, client):
    client.force_login(outsider)
    assert client.get(reverse("dashboards:my_space")).status_code == 200
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    assert _is_login_redirect(client.get(reverse("dashboards:my_space")))


def _age_session(client, seconds):
    session = client.session
    assert "session_started_at" in session, "the first request stamps the start of the session"
    session["session_started_at"] = int(time.time()) - seconds
    session.save()


def test_an_active_session_younger_than_the_absolute_lifetime_goes_on(outsider, client):
    client.force_login(outsider)
    assert client.get(reverse("dashboards:my_space")).status_code == 200
    _age_session(client, settings.SESSION_ABSOLUTE_SECONDS - 60)
    assert client.get(reverse("dashboards:my_space")).status_code == 200


def test_a_session_older_than_the_absolute_lifetime_is_logged_out_however_active(outsider, client):
    client.force_login(outsider)
    assert client.get(reverse("dashboards:my_space")).status_code == 200
    _age_session(client, settings.SESSION_ABSOLUTE_SECONDS + 1)
    assert _is_login_redirect(client.get(reverse("dashboards:my_space")))
    assert SESSION_KEY not in client.session
    # Logging in again starts a new session with a fresh clock.
    client.force_login(outsider)
    assert client.get(reverse("dashboards:my_space")).status_code == 200
    assert client.get(reverse("dashboards:my_space")).status_code == 200


def test_a_deactivated_users_session_ends_at_the_next_request(outsider, client):
    client.force_login(outsider)
    assert client.get(reverse("dashboards:my_space")).status_code == 200
    outsider.is_active = False
    outsider.save(update_fields=["is_active"])
    response = client.get(reverse("dashboards:my_space"))
    assert _is_login_redirect(response)
    # The session is over for good: reactivating the account does not bring it back.
    outsider.is_active = True
    outsider.save(update_fields=["is_active"])
    assert _is_login_redirect(client.get(reverse("dashboards:my_space")))


def test_a_deactivated_user_cannot_log_in(outsider, client):
    cache.clear()
    outsider.is_active = False
    outsider.save(update_fields=["is_active"])
    response = client.post(reverse("account_login"), {"login": outsider.email, "password": PASSWORD})
    assert SESSION_KEY not in client.session
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        assert response["Location"] == reverse("account_inactive")


# --- Re-authentication ----------------------------------------------------------------------------


def _login_with_password(client, user):
    cache.clear()
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    assert SESSION_KEY in client.session


def test_adding_an_email_address_asks_for_the_password_first(
    outsider, client, mailoutbox, django_capture_on_commit_callbacks
):
    _login_with_password(client, outsider)
    response = client.post(reverse("account_email"), {"action_add": "", "email": "nouvelle@exemple.fr"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert not EmailAddress.objects.filter(email="nouvelle@exemple.fr").exists()

    # A wrong password does not do.
    wrong = client.post(response["Location"], {"password": "pas-le-bon-mot-de-passe"})
    assert wrong.status_code == 200
    assert not EmailAddress.objects.filter(email="nouvelle@exemple.fr").exists()

    # The right one resumes the suspended request; the verification e-mail leaves on commit.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(response["Location"], {"password": PASSWORD})
    address = EmailAddress.objects.get(email="nouvelle@exemple.fr")
    assert address.user == outsider and not address.verified
    assert any("nouvelle@exemple.fr" in m.to for m in mailoutbox)

    # Within the re-authentication timeout, no new question.
    again = client.post(reverse("account_email"), {"action_add": "", "email": "autre@exemple.fr"})
    assert again.status_code == 302 and again["Location"] == reverse("account_email")
    assert EmailAddress.objects.filter(email="autre@exemple.fr").exists()


def test_an_old_reauthentication_is_asked_again(outsider, client):
    _login_with_password(client, outsider)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    session = client.session
    records = session["account_authentication_methods"]
    for record in records:
        record["at"] -= settings.ACCOUNT_REAUTHENTICATION_TIMEOUT + 1
    session["account_authentication_methods"] = records
    session.save()
    response = client.post(reverse("account_email"), {"action_add": "", "email": "tardive@exemple.fr"})
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert not EmailAddress.objects.filter(email="tardive@exemple.fr").exists()


def test_changing_the_primary_email_or_removing_one_asks_for_the_password(outsider, client):
    EmailAddress.objects.create(user=outsider, email="second@exemple.fr", verified=True, primary=False)
    _login_with_password(client, outsider)
    for action in ("action_primary", "action_remove"):
        response = client.post(reverse("account_email"), {action: "", "email": "second@exemple.fr"})
        assert response["Location"].startswith(reverse("account_reauthenticate")), action
    assert EmailAddress.objects.get(email="second@exemple.fr").primary is False
    outsider.refresh_from_db()
    assert outsider.email == "visiteur@exemple.fr"


def test_changing_the_password_requires_the_current_one(outsider, client):
    _login_with_password(client, outsider)
    new_password = "un-nouveau-mot-de-passe-2026"
    refused = client.post(
        reverse("account_change_password"),
        {"oldpassword": "pas-le-bon", "password1": new_password, "password2": new_password},
    )
    assert refused.status_code == 200
    outsider.refresh_from_db()
    assert outsider.check_password(PASSWORD)

    accepted = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": new_password, "password2": new_password},
    )
    assert accepted.status_code == 302
    outsider.refresh_from_db()
    assert outsider.check_password(new_password)


def test_two_factor_settings_ask_for_the_password_first(outsider, client):
    _login_with_password(client, outsider)
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))


# --- Alliance admins and two-factor authentication ------------------------------------------------


@pytest.fixture
def admin_without_totp(db):
    return UserFactory(email="admin-sans-2fa@exemple.fr", role=PlatformRole.ADMIN)


@pytest.mark.parametrize(
    "path", ["/", "/mon-espace/", "/alliance/annuaire/", "/alliance/admin/candidatures/", "/django-admin/"]
)
def test_an_admin_without_totp_is_sent_to_activate_it_from_any_page(admin_without_totp, client, path):
    client.force_login(admin_without_totp)
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == "/comptes/2fa/totp/activate/" == reverse("mfa_activate_totp")


def test_staff_without_totp_are_sent_to_activate_it_too(client, db):
    staff = UserFactory(is_staff=True)
    client.force_login(staff)
    assert client.get("/django-admin/")["Location"] == reverse("mfa_activate_totp")


def test_members_without_totp_are_not_bothered(outsider, client):
    client.force_login(outsider)
    assert client.get(reverse("dashboards:my_space")).status_code == 200


def test_an_admin_without_totp_can_activate_it_and_then_use_their_powers(admin_without_totp, client):
    _login_with_password(client, admin_without_totp)
    # The password typed to log in is enough: the setup page does not ask for it a second time.
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    secret = client.session[SECRET_SESSION_KEY]
    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    activated = client.post(reverse("mfa_activate_totp"), {"code": code})
    assert activated.status_code == 302
    assert Authenticator.objects.filter(user=admin_without_totp, type=Authenticator.Type.TOTP).exists()
    assert client.get(reverse("alliance:review_queue")).status_code == 200


def _totp_queries(client, path):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    return response, [q["sql"] for q in captured.captured_queries if "mfa_authenticator" in q["sql"]]


def test_an_admins_totp_is_not_looked_up_again_on_each_page(users, client):
    client.force_login(users["admin"])
    response, first = _totp_queries(client, reverse("pages:robots"))
    assert response.status_code == 200 and len(first) == 1
    response, then = _totp_queries(client, reverse("pages:robots"))
    assert response.status_code == 200 and then == []


def test_an_admins_totp_is_looked_up_again_after_a_few_minutes(users, client):
    from accounts.two_factor import TOTP_RECHECK_SECONDS

    client.force_login(users["admin"])
    client.get(reverse("pages:robots"))
    session = client.session
    session["totp_seen"] = (users["admin"].pk, time.time() - TOTP_RECHECK_SECONDS - 1)
    session.save()
    Authenticator.objects.filter(user=users["admin"]).delete()
    assert client.get(reverse("pages:robots"))["Location"] == reverse("mfa_activate_totp")


def test_an_admin_who_removes_their_totp_is_sent_to_activate_it_at_the_next_page(admin_without_totp, client):
    from allauth.mfa.base.internal.flows import delete_and_cleanup
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    authenticator = TOTP.activate(admin_without_totp, generate_totp_secret()).instance
    client.force_login(admin_without_totp)
    assert client.get(reverse("pages:robots")).status_code == 200
    # allauth's deactivation, within a request of the session that removes it.
    request = client.get(reverse("pages:robots")).wsgi_request
    delete_and_cleanup(request, authenticator)
    request.session.save()
    assert client.get(reverse("pages:robots"))["Location"] == reverse("mfa_activate_totp")


def test_an_admin_who_logged_in_long_ago_types_the_password_again_to_set_up_totp(
    admin_without_totp, client
):
    _login_with_password(client, admin_without_totp)
    session = client.session
    for record in session[AUTHENTICATION_METHODS_SESSION_KEY]:
        record["at"] -= 301
    session.save()
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))


def test_the_django_admin_login_goes_through_allauth(client, db):
    response = client.get("/django-admin/login/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "next=" in response["Location"]


def test_the_django_admin_login_form_cannot_be_posted_around_allauth(client, admin_user):
    response = client.post("/django-admin/login/", {"username": admin_user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert SESSION_KEY not in client.session


def test_the_django_admin_login_is_refused_to_non_staff(client, outsider):
    client.force_login(outsider)
    assert client.get("/django-admin/login/").status_code == 403


# --- Rate limits ----------------------------------------------------------------------------------


def _rate(action):
    rates = settings.ACCOUNT_RATE_LIMITS[action]
    return parse_rates(rates)


def test_failed_logins_on_one_account_are_limited(outsider, client):
    cache.clear()
    per_key = next(rate for rate in _rate("login_failed") if rate.per == "key")
    for _ in range(per_key.amount):
        response = client.post(reverse("account_login"), {"login": outsider.email, "password": "mauvais"})
        assert response.status_code == 200
        assert SESSION_KEY not in client.session
    # Even the right password is refused now, with a message (allauth answers with the form, not a 429).
    response = client.post(reverse("account_login"), {"login": outsider.email, "password": PASSWORD})
    assert response.status_code == 200
    assert SESSION_KEY not in client.session
    assert "Trop de tentatives de connexion" in str(response.context["form"].non_field_errors())
    cache.clear()


def test_too_many_login_attempts_from_one_address_get_a_429(db, client):
    cache.clear()
    per_ip = next(rate for rate in _rate("login") if rate.per == "ip")
    for n in range(per_ip.amount):
        response = client.post(
            reverse("account_login"), {"login": f"inconnu{n}@exemple.fr", "password": "mauvais"}
        )
        assert response.status_code == 200
    response = client.post(reverse("account_login"), {"login": "encore@exemple.fr", "password": "mauvais"})
    assert response.status_code == 429
    # The platform's own page, in French, under the same policy as every page.
    assert "Trop de tentatives" in response.content.decode()
    assert_scripts_carry_the_nonce(response)
    cache.clear()


def test_too_many_sign_ups_from_one_address_get_a_429(db, client):
    cache.clear()
    per_ip = next(rate for rate in _rate("signup") if rate.per == "ip")
    for _ in range(per_ip.amount):
        assert client.post(reverse("account_signup"), {}).status_code == 200
    assert client.post(reverse("account_signup"), {}).status_code == 429
    cache.clear()


# --- Sign-up and mandatory verification -----------------------------------------------------------

SIGNUP = {
    "email": "Nouvelle.Personne@Exemple.fr",
    "password1": "un-mot-de-passe-solide-2026",
    "password2": "un-mot-de-passe-solide-2026",
    "full_name": "Nadia Nouvelle",
    "function": "Chargée de mission PCAET",
    "family": ActorFamily.AGENT,
}


def test_sign_up_creates_the_profile_and_sends_a_verification_email(
    client, db, mailoutbox, django_capture_on_commit_callbacks
):
    cache.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_signup"), SIGNUP)
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    user = User.objects.get(email__iexact="nouvelle.personne@exemple.fr")
    assert user.full_name == "Nadia Nouvelle"
    assert user.function == "Chargée de mission PCAET"
    assert user.family == ActorFamily.AGENT
    assert user.role == PlatformRole.MEMBER
    assert not user.is_staff
    assert SESSION_KEY not in client.session, "not signed in before the address is verified"
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [user.email]
    assert "/comptes/confirm-email/" in mailoutbox[0].body


def test_sign_up_without_the_profile_fields_is_refused(client, db):
    cache.clear()
    data = {**SIGNUP, "full_name": ""}
    response = client.post(reverse("account_signup"), data)
    assert response.status_code == 200
    assert "full_name" in response.context["form"].errors
    assert not User.objects.exists()


def test_an_unverified_user_cannot_log_in_and_verifying_signs_them_in(
    client, db, mailoutbox, django_capture_on_commit_callbacks
):
    cache.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_signup"), SIGNUP)
    client.logout()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_login"), {"login": SIGNUP["email"], "password": SIGNUP["password1"]}
        )
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert SESSION_KEY not in client.session
    assert client.get(reverse("dashboards:my_space")).status_code == 302

    link = re.search(r"https?://\S+/comptes/confirm-email/\S+/", mailoutbox[-1].body).group(0)
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]
    assert client.get(path).status_code == 200  # confirming takes a POST (ACCOUNT_CONFIRM_EMAIL_ON_GET off)
    confirmed = client.post(path)
    assert confirmed.status_code == 302
    assert EmailAddress.objects.get(email__iexact=SIGNUP["email"]).verified
    assert client.get(reverse("dashboards:my_space")).status_code == 200


# --- User text ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "forbidden"),
    [
        ("Bonjour <script>alert('x')</script>", "<script"),
        ('<img src="x" onerror="alert(1)">', "onerror"),
        ('<a href="javascript:alert(1)">clic</a>', "javascript:"),
        ('<a href="JaVaScRiPt:alert(1)">clic</a>', "javascript"),
        ('<p onclick="alert(1)">texte</p>', "onclick"),
        ('<iframe src="https://mal.example"></iframe>', "<iframe"),
        ('<svg onload="alert(1)"></svg>', "onload"),
        ('<a href="data:text/html,<script>alert(1)</script>">x</a>', "data:"),
        ("<style>body{display:none}</style>", "<style"),
    ],
)
def test_user_text_is_rendered_inert(text, forbidden):
    rendered = render_user_text(text)
    assert forbidden.lower() not in rendered.lower()


def test_user_text_keeps_paragraphs_line_breaks_and_safe_links():
    rendered = render_user_text(
        'Premier paragraphe\navec une ligne.\n\n<strong>Gras</strong> et <a href="https://exemple.fr">lien</a>'
    )
    assert rendered.count("<p>") == 2
    assert "<br>" in rendered
    assert "<strong>Gras</strong>" in rendered
    assert 'href="https://exemple.fr"' in rendered
    assert 'rel="noopener noreferrer nofollow"' in rendered


def test_user_text_of_nothing_renders_no_text():
    assert render_user_text(None) in ("", "<p></p>")
    assert render_user_text("") in ("", "<p></p>")


def test_a_script_in_an_organisation_description_is_shown_inert(world, client):
    org = world.public_organisation
    org.description = "Notre réseau <script>alert('pirate')</script><img src=x onerror=alert(1)>"
    org.save()
    content = client.get(reverse("alliance:organisation", args=[org.pk])).content.decode()
    assert "Notre réseau" in content
    assert "alert('pirate')</script>" not in content
    assert "onerror" not in content


# --- Uploads --------------------------------------------------------------------------------------

MAX = 1024 * 1024


def _upload(name, content):
    return SimpleUploadedFile(name, content)


@pytest.mark.parametrize(
    ("name", "fmt"), [("a.png", "PNG"), ("a.jpg", "JPEG"), ("a.JPEG", "JPEG"), ("a.webp", "WEBP")]
)
def test_a_real_image_with_its_extension_is_accepted(name, fmt):
    file = _upload(name, png_bytes(fmt=fmt))
    validate_image(file, max_bytes=MAX)
    assert file.tell() == 0


def test_an_oversized_image_is_refused():
    with pytest.raises(ValidationError, match="limite"):
        validate_image(_upload("a.png", png_bytes()), max_bytes=10)


@pytest.mark.parametrize("name", ["a.gif", "a.svg", "a.png.exe", "sans-extension", "a.html"])
def test_a_wrong_extension_is_refused(name):
    with pytest.raises(ValidationError, match="Formats acceptés"):
        validate_image(_upload(name, png_bytes()), max_bytes=MAX)


def test_content_that_does_not_match_the_extension_is_refused():
    with pytest.raises(ValidationError, match="ne correspond pas"):
        validate_image(_upload("photo.jpg", png_bytes(fmt="PNG")), max_bytes=MAX)


@pytest.mark.parametrize(
    "content",
    [
        b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
        b"%PDF-1.4 pas une image",
        b"",
        b"\x89PNG\r\n\x1a\n" + b"tronque",
    ],
)
def test_a_file_that_is_not_an_image_is_refused(content):
    with pytest.raises(ValidationError):
        validate_image(_upload("logo.png", content), max_bytes=MAX)


def test_an_image_of_too_many_pixels_is_refused():
    buffer = io.BytesIO()
    Image.new("1", (5001, 5001)).save(buffer, format="PNG")
    assert len(buffer.getvalue()) < MAX
    with pytest.raises(ValidationError, match="trop grande"):
        validate_image(_upload("grand.png", buffer.getvalue()), max_bytes=MAX)


def _png_header_only(width, height):
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 64))


def test_a_decompression_bomb_is_refused():
    bomb = _png_header_only(100_000, 100_000)
    assert len(bomb) < 200
    with pytest.raises(ValidationError):
        validate_image(_upload("bombe.png", bomb), max_bytes=MAX)


def test_an_oversized_or_non_image_logo_is_refused_with_a_clear_message_on_the_edit_page(world, client_for):
    org = world.public_organisation
    data = {"name": org.name, "category": org.category, "region": org.region}
    response = client_for("agent").post(
        reverse("alliance:organisation_edit", args=[org.pk]),
        {**data, "logo": SimpleUploadedFile("logo.png", b"GIF89a pas un png")},
    )
    assert response.status_code == 200
    assert "logo" in response.context["form"].errors
    org.refresh_from_db()
    assert org.logo.name.startswith("logos/")
