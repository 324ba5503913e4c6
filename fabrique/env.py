"""Read settings from the environment, failing loudly on values that cannot be understood."""

import os
from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str | None:
    return os.environ.get(name, default)


def env_required(name: str, why: str) -> str:
    value = os.environ.get(name)
    if not value:
        raise ImproperlyConfigured(f"{name} must be set: {why}")
    return value


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean (use 1/0, true/false, yes/no, on/off)")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}={raw!r} is not an integer") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def storage_from_env(local_location: str) -> dict:
    """The STORAGES["default"] entry: an S3-compatible bucket when STORAGE_URL or S3_BUCKET is set, the local
    folder `local_location` otherwise.

    STORAGE_URL reads `s3://ACCESS_KEY:SECRET_KEY@HOST[:PORT]/BUCKET[/PREFIX][?region=REGION]` (HTTPS), or
    `s3+http://…` for a server on plain HTTP (a MinIO on the private network, the test server). Each S3_*
    variable, when set, overrides its part of the URL. Without keys, boto3 looks for credentials the usual
    way (its environment variables, an instance role)."""
    url = env_str("STORAGE_URL") or ""
    parts = {"bucket": "", "prefix": "", "endpoint": "", "key": "", "secret": "", "region": ""}
    if url:
        parsed = urlsplit(url)
        if parsed.scheme not in ("s3", "s3+https", "s3+http"):
            raise ImproperlyConfigured(
                "STORAGE_URL must start with s3:// (HTTPS) or s3+http:// (plain HTTP), "
                f"not {parsed.scheme or '(nothing)'}://"
            )
        bucket, _slash, prefix = parsed.path.lstrip("/").partition("/")
        if not parsed.hostname or not bucket:
            raise ImproperlyConfigured(
                "STORAGE_URL must name a host and a bucket: s3://KEY:SECRET@HOST/BUCKET"
            )
        scheme = "http" if parsed.scheme == "s3+http" else "https"
        host = f"[{parsed.hostname}]" if ":" in parsed.hostname else parsed.hostname
        endpoint = f"{scheme}://{host}" + (f":{parsed.port}" if parsed.port else "")
        query = parse_qs(parsed.query)
        parts.update(
            bucket=bucket,
            prefix=prefix.strip("/"),
            endpoint=endpoint,
            key=unquote(parsed.username or ""),
            secret=unquote(parsed.password or ""),
            region=(query.get("region") or [""])[0],
        )
    for part, name in (
        ("bucket", "S3_BUCKET"),
        ("prefix", "S3_PREFIX"),
        ("endpoint", "S3_ENDPOINT_URL"),
        ("key", "S3_ACCESS_KEY_ID"),
        ("secret", "S3_SECRET_ACCESS_KEY"),
        ("region", "S3_REGION"),
    ):
        parts[part] = env_str(name) or parts[part]
    if not parts["bucket"]:
        if any(parts.values()):
            raise ImproperlyConfigured("S3_* settings without a bucket: set S3_BUCKET (or STORAGE_URL)")
        return {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": local_location},
        }
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": s3_options(**parts)}


def s3_options(*, bucket, prefix="", endpoint="", key="", secret="", region="") -> dict:
    """django-storages' options for a private bucket (also used by the tests and the backup command)."""
    return {
        "bucket_name": bucket,
        "location": prefix,
        "endpoint_url": endpoint or None,
        "access_key": key or None,
        "secret_key": secret or None,
        "region_name": region or None,
        # Path-style addresses work with every S3-compatible server (MinIO, Garage…); AWS accepts them too.
        "addressing_style": "path" if endpoint else None,
        "signature_version": "s3v4",
        # Private objects: no ACL granted, every URL signed (and only ever given after an access check).
        "default_acl": None,
        "querystring_auth": True,
        # A stored file is never replaced in place: another record may point at it.
        "file_overwrite": False,
    }


# The database cache's table, created by a migration (core 0005) whatever the configuration, so that a
# platform that loses its REDIS_URL finds it there.
CACHE_TABLE = "fabrique_cache"


def caches_from_env(*, redis_url: str, debug: bool) -> dict:
    """The CACHES setting: Redis when REDIS_URL is set; otherwise, in production, the database.

    The cache holds allauth's rate-limit counters (failed logins per address and per account, sign-ups,
    password resets). A cache in each process's memory would give every gunicorn worker and every node its
    own counters, multiplying each limit by their number: production never uses one. Only development
    (DEBUG), a single process, keeps the memory cache.
    """
    if redis_url:
        return {
            "default": {
                # Redis that is down is a cache miss, logged, never an error page (core/cache.py).
                "BACKEND": "core.cache.FailSafeRedisCache",
                "LOCATION": redis_url,
                "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
            }
        }
    if debug:
        return {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    return {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": CACHE_TABLE}}


def client_ip_from_env(*, behind_proxy: bool) -> dict:
    """allauth's settings for reading the client's address, on which its per-address limits count.

    Behind the reverse proxy, every request comes from the proxy's address: without these, ten failed logins
    from anyone would lock everyone out. CLIENT_IP_HEADER names a header the proxy sets to the client's
    address (nginx's X-Real-IP); otherwise the address is read from X-Forwarded-For, TRUSTED_PROXY_COUNT
    entries from its end (1: one proxy, which appends the address it saw; 2 with docker-compose.scale.yml's
    nginx behind the host's proxy). Without a proxy, X-Forwarded-For is anyone's to write: it is ignored.
    """
    if not behind_proxy:
        return {"ALLAUTH_TRUSTED_PROXY_COUNT": 0, "ALLAUTH_TRUSTED_CLIENT_IP_HEADER": None}
    header = env_str("CLIENT_IP_HEADER") or None
    count = env_int("TRUSTED_PROXY_COUNT", 1)
    if count < 1:
        raise ImproperlyConfigured("TRUSTED_PROXY_COUNT must be at least 1 with BEHIND_PROXY")
    return {"ALLAUTH_TRUSTED_PROXY_COUNT": count, "ALLAUTH_TRUSTED_CLIENT_IP_HEADER": header}
