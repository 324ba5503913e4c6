"""Settings of the platform, read from the environment (see the settings table of the README)."""

from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF
from django.utils.translation import gettext_lazy as _

from ops.logging import logging_config

from .env import (
    caches_from_env,
    client_ip_from_env,
    env_bool,
    env_int,
    env_list,
    env_required,
    env_str,
    storage_from_env,
)

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)

if DEBUG:
    # Only ever used on a developer's machine: production refuses to start without SECRET_KEY.
    SECRET_KEY = env_str("SECRET_KEY") or "insecure-development-key-do-not-use-in-production"
else:
    SECRET_KEY = env_required("SECRET_KEY", "production refuses to start without a secret key")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# Served over HTTPS everywhere but on a developer's machine and in the test suite.
HTTPS = env_bool("HTTPS", not DEBUG)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    # Django's own form templates, found by the project's engine (FORM_RENDERER below).
    "django.forms",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_htmx",
    "csp",
    "core",
    "ops",
    "outbox",
    "accounts",
    "alliance",
    "reference",
    "territories",
    "projects",
    "notifications",
    "cooperation",
    "trainings",
    "methods",
    "library",
    "pages",
    "documents",
    # The top layer: pages composed from the capabilities above.
    "calendars",
    "reports",
    "dashboards",
    "demo",
]

MIDDLEWARE = [
    # Outermost: the request's id, its metrics and its log line, whatever answers it.
    "ops.middleware.ObservationMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "core.middleware.ContentSecurityPolicyMiddleware",
    # /sante/ answers before anything reads the database for the session or the person.
    "core.middleware.HealthFirstMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.SessionLifetimeMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Before any view reads the address or the query: a NUL character in them never reaches PostgreSQL.
    "core.middleware.NulCharacterMiddleware",
    # After the session's user is known: their account's language over the cookie's.
    "accounts.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "core.middleware.LoginGuardMiddleware",
    "accounts.middleware.AdminTwoFactorMiddleware",
    "alliance.middleware.CharterResignMiddleware",
]

ROOT_URLCONF = "fabrique.urls"
WSGI_APPLICATION = "fabrique.wsgi.application"

TEMPLATES = [
    {
        # Django's, its i18n and static libraries replaced on purpose (core.templating).
        "BACKEND": "core.templating.Templates",
        # The name Django would give its own backend (engines["django"]).
        "NAME": "django",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.platform",
                "notifications.context_processors.notifications",
                "pages.context_processors.navigation",
                "alliance.middleware.charter_banner",
            ],
            # Dates, ages, sizes and « de / du / d' » written right in every template (core.french).
            "builtins": ["core.templatetags.french"],
            # Django's i18n and static libraries, each constant message translated once per language
            # (core.i18n_library), each constant file's address composed once (core.static_library).
            "libraries": {"i18n": "core.i18n_library", "static": "core.static_library"},
        },
    },
]

# Forms render with the project's templates: templates/django/forms/label.html writes « (obligatoire) »
# into the label of each required field, in the HTML and not by the stylesheet (RGAA 10.2, 11.10).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

DATABASES = {
    "default": dj_database_url.parse(
        env_required(
            "DATABASE_URL",
            "PostgreSQL is the only database; `make run` and `make test` start an embedded one if unset",
        ),
        # Persistent connections (opening one costs more than most pages), checked before each request's
        # first use so that a connection the server dropped is replaced rather than failing the request.
        conn_max_age=env_int("DB_CONN_MAX_AGE", 600),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL") or ""

# Redis; without it, the database in production (shared by every worker: allauth's rate-limit counters live
# in the cache), the process's memory in development.
CACHES = caches_from_env(redis_url=REDIS_URL, debug=DEBUG)

# Without a broker (a bare laptop), tasks run in process through the very same code path.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL") or REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = not (env_str("CELERY_BROKER_URL") or REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
    # A task taken by a worker that died without acknowledging it (acks_late) goes back to the queue after
    # this long (Redis's default is an hour). Longer than any task runs (DOCUMENT_RENDER_TIME_LIMIT), so a
    # task still running is never handed to a second worker; no task is scheduled further ahead than this.
    "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 300),
}
CELERY_TIMEZONE = "Europe/Paris"
CELERY_BEAT_SCHEDULE = {
    # The notifications digest, each morning at 7:00 (CELERY_TIMEZONE).
    "notifications-daily-digest": {
        "task": "notifications.tasks.send_daily_digests",
        "schedule": crontab(hour=7, minute=0),
    },
    # Reminders to re-sign a new charter version before its deadline, then the « à renouveler » notice.
    "alliance-charter-reminders": {
        "task": "alliance.tasks.send_charter_reminders",
        "schedule": crontab(hour=8, minute=0),
    },
    # E-mails of the outbox queued while the broker was down, lost with a worker or due for a new attempt.
    "outbox-sweep": {
        "task": "outbox.tasks.sweep_emails",
        "schedule": 60.0,
    },
    # PDF documents left pending (broker down) or orphaned (worker killed) are handed to a worker again.
    "documents-sweep": {
        "task": "documents.tasks.sweep_documents",
        "schedule": 60.0,
    },
    # Sessions past their end, removed each night (the session table would otherwise grow with every visit).
    "accounts-clear-expired-sessions": {
        "task": "accounts.tasks.clear_expired_sessions",
        "schedule": crontab(hour=4, minute=30),
    },
}
# A PDF taking longer than this is stopped and retried (prefork pool: the worker process is replaced).
DOCUMENT_RENDER_TIME_LIMIT = env_int("DOCUMENT_RENDER_TIME_LIMIT", 120)
DOCUMENT_PENDING_GRACE_SECONDS = env_int("DOCUMENT_PENDING_GRACE_SECONDS", 120)

AUTH_USER_MODEL = "accounts.User"
# Django's and allauth's, reading the signed-in person in one plain statement on each request.
AUTHENTICATION_BACKENDS = [
    "accounts.backends.ModelBackend",
    "accounts.backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_REDIRECT_URL = "dashboards:my_space"
LOGIN_URL = "account_login"

ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupProfileForm"
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_REAUTHENTICATION_TIMEOUT = 300
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[La Fabrique des Transitions] "
# A person is told by e-mail of each change to their account's security (password, addresses, two-factor).
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "confirm_email": "1/3m/key",
    "reauthenticate": "10/m/user",
}
if env_bool("DISABLE_RATE_LIMITS", False):
    ACCOUNT_RATE_LIMITS = False
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "La Fabrique des Transitions"

# Sessions: an idle timeout (the cookie age) and an absolute lifetime. The idle timeout is renewed by writing
# the session again, at most once every SESSION_REFRESH_SECONDS (core.middleware.SessionLifetimeMiddleware):
# not on every request, so that reading a page writes nothing.
# Database sessions that name their person (accounts.sessions): ending someone's sessions is one query.
SESSION_ENGINE = "accounts.sessions"
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_SECONDS", 2 * 3600)
SESSION_SAVE_EVERY_REQUEST = False
SESSION_REFRESH_SECONDS = 60
SESSION_ABSOLUTE_SECONDS = env_int("SESSION_ABSOLUTE_SECONDS", 12 * 3600)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
if HTTPS:
    # The __Host- prefix binds the cookies to this very host, over HTTPS, for the whole site.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
BEHIND_PROXY = env_bool("BEHIND_PROXY", False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The client's address as allauth counts it for its per-address limits (the proxy's address otherwise).
_client_ip = client_ip_from_env(behind_proxy=BEHIND_PROXY)
ALLAUTH_TRUSTED_PROXY_COUNT = _client_ip["ALLAUTH_TRUSTED_PROXY_COUNT"]
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = _client_ip["ALLAUTH_TRUSTED_CLIENT_IP_HEADER"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
    }
}

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    # Uploaded files and rendered documents: an S3-compatible bucket with STORAGE_URL (or S3_BUCKET), which
    # every web and worker node shares; the local folder MEDIA_ROOT otherwise (one machine).
    "default": storage_from_env(env_str("MEDIA_ROOT") or str(BASE_DIR / "media")),
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# A private file kept in a bucket is downloaded through the platform (0, the default: streamed by the web
# process after the access check), or, after the same check, by a redirect to a signed address of the bucket
# valid this many seconds, which spares the web process the bytes. Logos are always streamed (shown in pages,
# whose Content-Security-Policy only allows images of the site itself).
STORAGE_SIGNED_URL_SECONDS = env_int("STORAGE_SIGNED_URL_SECONDS", 0)
WHITENOISE_USE_FINDERS = env_bool("WHITENOISE_USE_FINDERS", False)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
LOGO_MAX_BYTES = env_int("LOGO_MAX_BYTES", 1024 * 1024)
# Each file attached to a library resource or a group's post.
ATTACHMENT_MAX_BYTES = env_int("ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)
# What an office document (a zip) may declare it unpacks to: beyond, it is a zip bomb (core/uploads.py).
ATTACHMENT_MAX_UNPACKED_BYTES = env_int("ATTACHMENT_MAX_UNPACKED_BYTES", 100 * 1024 * 1024)
# A deliverable's answer or a review comment longer than this is refused with a message (about 15 pages).
ANSWER_MAX_CHARS = env_int("ANSWER_MAX_CHARS", 50_000)
COMMENT_MAX_CHARS = env_int("COMMENT_MAX_CHARS", 10_000)

EMAIL_BACKEND = env_str("EMAIL_BACKEND") or "django.core.mail.backends.console.EmailBackend"
EMAIL_HOST = env_str("EMAIL_HOST") or "localhost"
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER") or ""
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD") or ""
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = (
    env_str("DEFAULT_FROM_EMAIL") or "La Fabrique des Transitions <ne-pas-repondre@localhost>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The address people write to (RGPD requests, accessibility feedback, questions): shown in the footer, the
# legal notice, the accessibility statement and every e-mail. Production refuses to start without it rather
# than publish an address nobody reads.
if DEBUG:
    CONTACT_EMAIL = env_str("CONTACT_EMAIL") or "contact@localhost"
else:
    CONTACT_EMAIL = env_required(
        "CONTACT_EMAIL", "the legal notice, the accessibility statement and every e-mail give it"
    )
# An e-mail still pending this long after it was queued is handed to a worker by the sweep (the broker was
# down, or its worker died); sent and cancelled e-mails are forgotten after EMAIL_RETENTION_DAYS.
EMAIL_PENDING_GRACE_SECONDS = env_int("EMAIL_PENDING_GRACE_SECONDS", 60)
EMAIL_RETENTION_DAYS = env_int("EMAIL_RETENTION_DAYS", 30)

# One JSON line per event in production (request id, user id, view, duration…), plain text in development.
LOG_FORMAT = env_str("LOG_FORMAT") or ("plain" if DEBUG else "json")
LOGGING = logging_config(log_format=LOG_FORMAT, level=env_str("LOG_LEVEL") or "INFO")
# A worker logs through LOGGING too, with each task's name and id on its lines.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# Prometheus metrics (ops/metrics.py) at METRICS_PATH of each web node, and on WORKER_METRICS_PORT of each
# worker (0: none), for the holder of METRICS_TOKEN only; without a token they answer 404.
METRICS_PATH = "/metrics"
METRICS_TOKEN = env_str("METRICS_TOKEN") or ""
WORKER_METRICS_PORT = env_int("WORKER_METRICS_PORT", 0)
WORKER_METRICS_ADDRESS = env_str("WORKER_METRICS_ADDRESS") or "0.0.0.0"  # noqa: S104 - token-protected

# The public address of the platform, used in e-mails sent outside of a request (Celery tasks).
SITE_URL = (env_str("SITE_URL") or "http://127.0.0.1:8000").rstrip("/")

# How long a territory team invitation link stays valid.
INVITATION_VALID_DAYS = env_int("INVITATION_VALID_DAYS", 14)

# The JSON files of the `@etalab/decoupage-administratif` npm package (installed by `make install`).
REFERENCE_DATA_DIR = Path(
    env_str("REFERENCE_DATA_DIR") or BASE_DIR / "node_modules/@etalab/decoupage-administratif/data"
)
