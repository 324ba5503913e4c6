"""The rate limits count what they mean to, in production: per client address behind the reverse proxy
(fabrique.env.client_ip_from_env), and in one cache shared by every worker (fabrique.env.caches_from_env)."""

import json
import os
import subprocess
import sys

import pytest
from allauth.core.internal.ratelimit import parse_rates
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core.cache import cache
from django.core.cache.backends.db import DatabaseCache
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from fabrique.env import CACHE_TABLE, caches_from_env, client_ip_from_env
from tests.factories import PASSWORD

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _settings_of(**environment):
    """CACHES and allauth's client-address settings as fabrique.settings computes them from `environment`."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"REDIS_URL", "DEBUG", "BEHIND_PROXY", "CLIENT_IP_HEADER", "TRUSTED_PROXY_COUNT"}
    }
    env.update({"SECRET_KEY": "x" * 50, "DATABASE_URL": "postgres://u@127.0.0.1:5432/unused"}, **environment)
    code = (
        "import json, fabrique.settings as s; print(json.dumps([s.CACHES, s.ALLAUTH_TRUSTED_PROXY_COUNT,"
        " s.ALLAUTH_TRUSTED_CLIENT_IP_HEADER]))"
    )
    done = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- A cache shared by every worker ------------------------------------------------------------------


def test_production_without_redis_keeps_its_cache_in_the_database_not_in_each_worker():
    caches, _count, _header = _settings_of(DEBUG="0")
    assert caches == {
        "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": CACHE_TABLE}
    }


def test_with_redis_the_cache_is_redis_and_development_alone_keeps_the_memory_cache():
    redis = caches_from_env(redis_url="redis://127.0.0.1:6379/0", debug=False)["default"]
    assert redis["BACKEND"] == "core.cache.FailSafeRedisCache" and redis["LOCATION"].startswith("redis://")
    memory = caches_from_env(redis_url="", debug=True)["default"]
    assert memory["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    assert _settings_of(DEBUG="1")[0] == {"default": memory}


@pytest.mark.django_db
def test_the_database_cache_table_exists_after_migrate_and_two_workers_count_together():
    # Two processes' caches are two instances on the same table: a counter one adds, the other reads.
    first, second = DatabaseCache(CACHE_TABLE, {}), DatabaseCache(CACHE_TABLE, {})
    assert first.add("rl:login_failed:ip:203.0.113.7", 1, timeout=60)
    assert not second.add("rl:login_failed:ip:203.0.113.7", 1, timeout=60)
    assert second.incr("rl:login_failed:ip:203.0.113.7") == 2
    assert first.get("rl:login_failed:ip:203.0.113.7") == 2


# --- The client's address behind the reverse proxy ---------------------------------------------------


def test_without_a_proxy_x_forwarded_for_is_ignored(monkeypatch):
    monkeypatch.setenv("TRUSTED_PROXY_COUNT", "3")
    assert client_ip_from_env(behind_proxy=False) == {
        "ALLAUTH_TRUSTED_PROXY_COUNT": 0,
        "ALLAUTH_TRUSTED_CLIENT_IP_HEADER": None,
    }


def test_behind_the_proxy_the_address_comes_from_x_forwarded_for_or_the_header_named(monkeypatch):
    monkeypatch.delenv("TRUSTED_PROXY_COUNT", raising=False)
    monkeypatch.delenv("CLIENT_IP_HEADER", raising=False)
    assert client_ip_from_env(behind_proxy=True) == {
        "ALLAUTH_TRUSTED_PROXY_COUNT": 1,
        "ALLAUTH_TRUSTED_CLIENT_IP_HEADER": None,
    }
    monkeypatch.setenv("TRUSTED_PROXY_COUNT", "2")
    monkeypatch.setenv("CLIENT_IP_HEADER", "X-Real-IP")
    assert client_ip_from_env(behind_proxy=True) == {
        "ALLAUTH_TRUSTED_PROXY_COUNT": 2,
        "ALLAUTH_TRUSTED_CLIENT_IP_HEADER": "X-Real-IP",
    }
    monkeypatch.setenv("TRUSTED_PROXY_COUNT", "0")
    with pytest.raises(ImproperlyConfigured):
        client_ip_from_env(behind_proxy=True)


def test_the_settings_read_behind_proxy_for_allauth():
    assert _settings_of(DEBUG="0", BEHIND_PROXY="1")[1:] == [1, None]
    assert _settings_of(DEBUG="0", BEHIND_PROXY="0")[1:] == [0, None]


def _failed_logins_per_address():
    """allauth's limit of failed logins from one address (the rate counted per IP)."""
    rates = parse_rates(settings.ACCOUNT_RATE_LIMITS["login_failed"])
    return next(rate for rate in rates if rate.per == "ip")


def _failed_login(client, n, address):
    return client.post(
        reverse("account_login"),
        {"login": f"inconnu{n}@exemple.fr", "password": "mauvais"},
        HTTP_X_FORWARDED_FOR=address,
    )


def test_behind_the_proxy_failed_logins_from_one_address_do_not_lock_out_another(
    outsider, client, settings_for_proxy
):
    per_ip = _failed_logins_per_address()
    # Every request reaches Django from the proxy's address (the test client's REMOTE_ADDR, 127.0.0.1).
    for n in range(per_ip.amount):
        assert _failed_login(client, n, "198.51.100.23").status_code == 200
    refused = client.post(
        reverse("account_login"),
        {"login": outsider.email, "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="198.51.100.23",
    )
    assert SESSION_KEY not in client.session
    assert "Trop de tentatives de connexion" in str(refused.context["form"].non_field_errors())

    response = client.post(
        reverse("account_login"),
        {"login": outsider.email, "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="203.0.113.7",
    )
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(outsider.pk)


def test_the_address_is_the_one_the_proxy_saw_not_one_the_client_wrote(outsider, client, settings_for_proxy):
    # A client writes its own X-Forwarded-For; the proxy appends the address it saw: that one counts.
    per_ip = _failed_logins_per_address()
    for n in range(per_ip.amount):
        assert _failed_login(client, n, f"10.0.0.{n}, 198.51.100.23").status_code == 200
    response = client.post(
        reverse("account_login"),
        {"login": outsider.email, "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="10.0.0.99, 198.51.100.23",
    )
    assert SESSION_KEY not in client.session
    assert "Trop de tentatives de connexion" in str(response.context["form"].non_field_errors())


def test_a_request_that_skipped_the_outer_proxy_is_counted_by_the_address_the_inner_one_saw(
    outsider, client, settings_for_proxy
):
    # Two proxies trusted (the host's and the nodes' nginx), but an operator reached nginx directly: its
    # X-Forwarded-For holds one address. allauth alone answered a 500 here.
    settings_for_proxy.ALLAUTH_TRUSTED_PROXY_COUNT = 2
    per_ip = _failed_logins_per_address()
    for n in range(per_ip.amount):
        assert _failed_login(client, n, "198.51.100.23").status_code == 200
    refused = _failed_login(client, per_ip.amount, "198.51.100.23")
    assert "Trop de tentatives de connexion" in str(refused.context["form"].non_field_errors())
    response = client.post(
        reverse("account_login"),
        {"login": outsider.email, "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="203.0.113.7",
    )
    assert response.status_code == 302


@pytest.fixture
def settings_for_proxy(settings, db):
    """BEHIND_PROXY=1 with one proxy, and counters that start from nothing and are left clean."""
    for name, value in client_ip_from_env(behind_proxy=True).items():
        setattr(settings, name, value)
    assert settings.ACCOUNT_RATE_LIMITS, "the rate limits are on, as in production"
    cache.clear()
    yield settings
    cache.clear()
