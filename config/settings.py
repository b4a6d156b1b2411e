"""Peerpath settings: one module, driven by environment variables.

``PEERPATH_ENV`` is ``development`` (default), ``test`` or ``production``. In production a
``SECRET_KEY`` must come from the environment and demo data can never be seeded.
SQLite is the embedded default; set ``DATABASE_URL`` for PostgreSQL.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from peerpath.lib.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
PEERPATH_ENV = env_str("PEERPATH_ENV", "development") or "development"
if PEERPATH_ENV not in {"development", "test", "production"}:
    raise ImproperlyConfigured("PEERPATH_ENV must be development, test or production")
IS_PRODUCTION = PEERPATH_ENV == "production"
VAR_DIR = Path(env_str("PEERPATH_VAR_DIR", str(BASE_DIR / "var")) or BASE_DIR / "var")


MIN_SECRET_KEY_LENGTH = 50


def _secret_key() -> str:
    key = env_str("SECRET_KEY")
    if key and IS_PRODUCTION and len(key) < MIN_SECRET_KEY_LENGTH:
        # Sessions, password-reset links and the two-factor secrets' key all derive from it.
        raise ImproperlyConfigured(
            f"SECRET_KEY must be at least {MIN_SECRET_KEY_LENGTH} characters when PEERPATH_ENV=production"
        )
    if key:
        return key
    if IS_PRODUCTION:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set in the environment (or SECRET_KEY_FILE) when PEERPATH_ENV=production"
        )
    # Development/test: a random key kept beside the local database, never committed.
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        key_file.chmod(0o600)
    return key_file.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS")
DEBUG = env_bool("DEBUG", default=PEERPATH_ENV == "development")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_htmx",
    "django_q",
    "ninja",  # serves /api/v1/docs assets from our own static files, not a CDN
    "peerpath.core",
    "peerpath.accounts",
    "peerpath.clients",
    "peerpath.care",
    "peerpath.workforce",
    "peerpath.measures",
    "peerpath.outcomes",
    "peerpath.implementation",
    "peerpath.interop",
    "peerpath.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "peerpath.core.api_support.ApiBodyLimitMiddleware",
    "peerpath.core.csp.ContentSecurityPolicyMiddleware",
    "peerpath.core.middleware.RequestContextMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "peerpath.core.middleware.UserLanguageMiddleware",
    "peerpath.core.timezones.OrganisationTimeZoneMiddleware",
    "peerpath.core.middleware.RequireMfaMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "peerpath.core.idempotency.IdempotencyMiddleware",
    "peerpath.core.middleware.DenyByDefaultMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "peerpath" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "peerpath.core.context_processors.navigation",
            ],
        },
    }
]

# --- database -------------------------------------------------------------------------------
# PostgreSQL connections come from a bounded psycopg pool in each worker process: at most
# DB_POOL_MAX_SIZE per worker, so a server never opens more than workers x DB_POOL_MAX_SIZE
# (persistent per-thread connections under ASGI ran PostgreSQL out of slots: issue 11). The pool
# requires CONN_MAX_AGE=0. DB_POOL=false falls back to DB_CONN_MAX_AGE (the test suite's default).
_database_url = env_str("DATABASE_URL")
DB_POOL_MAX_SIZE = env_int("DB_POOL_MAX_SIZE", 4)


def _postgres(url: str) -> dict[str, Any]:
    pooled = env_bool("DB_POOL", default=PEERPATH_ENV != "test")
    database: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=0 if pooled else env_int("DB_CONN_MAX_AGE", 0)))
    if pooled and database["ENGINE"] == "django.db.backends.postgresql":
        database.setdefault("OPTIONS", {})["pool"] = {
            "min_size": env_int("DB_POOL_MIN_SIZE", 1),
            "max_size": DB_POOL_MAX_SIZE,
            # seconds a request waits for a free connection before it fails: requests queue here when
            # more run at once than the pool holds (ASGI runs each request on its own thread)
            "timeout": env_int("DB_POOL_TIMEOUT", 30),
            "max_idle": 300,
        }
    return database


if _database_url:
    DATABASES = {"default": _postgres(_database_url)}
    # Reporting reads (evaluation, integration, reports, exports) may go to a streaming replica;
    # without DATABASE_REPLICA_URL there is no "reporting" alias and they read the primary.
    # See peerpath/core/reporting.py and docs/operations.md.
    _replica_url = env_str("DATABASE_REPLICA_URL")
    if _replica_url:
        DATABASES["reporting"] = {**_postgres(_replica_url), "TEST": {"MIRROR": "default"}}
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env_str("SQLITE_PATH") or str(VAR_DIR / "peerpath.sqlite3"),
        }
    }
# SQLite, however it is given (SQLITE_PATH or DATABASE_URL=sqlite:///...), always gets these:
# IMMEDIATE avoids "database is locked" upgrades from read to write locks; the timeout lets a
# second writer wait instead of failing; WAL lets readers proceed while one writer writes.
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
}
for _db in DATABASES.values():
    if _db["ENGINE"] == "django.db.backends.sqlite3":
        _db["OPTIONS"] = {**SQLITE_OPTIONS, **_db.get("OPTIONS", {})}
DATABASE_ROUTERS = ["peerpath.core.reporting.ReportingRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- caches (login lockout counters live here, so they must be shared by all processes) ---
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
        if PEERPATH_ENV == "test"
        else {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "peerpath_cache"}
    )
}

# --- authentication -------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.StaffMember"
# The two-factor rule pages and API tokens share (core asks it through peerpath.core.second_factor).
PEERPATH_MFA_RULE = "peerpath.accounts.mfa.mfa_missing"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if PEERPATH_ENV == "test":
    # Argon2 at full cost makes a suite with hundreds of logins crawl; tests of the hasher itself
    # override this back (see accounts/tests/test_auth.py).
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "core:home"
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "password1*"]
ACCOUNT_ADAPTER = "peerpath.accounts.adapters.ClosedSignupAdapter"
MFA_ADAPTER = "peerpath.accounts.mfa.PeerpathMfaAdapter"
MFA_FORMS = {"activate_totp": "peerpath.accounts.mfa.IdempotentActivateTOTPForm"}
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_EMAIL_VERIFICATION = "none"
# Lockout: after 5 failed sign-ins for one username within 15 minutes further attempts are
# refused, whatever the password; 30 failures from one address lock that address. The same
# counters guard the web form, POST /api/v1/auth/token and /platform-admin/ (one flow), keyed
# by username only (never the Host header). Wrong two-factor codes count the same way (allauth keys them per user).
ACCOUNT_RATE_LIMITS = {"login_failed": "5/15m/key,30/15m/ip"}
# Addresses of our own reverse proxies (the TLS proxy in docs/deployment.md); X-Forwarded-For
# is believed only from these. Comma-separated IPs or networks.
PEERPATH_TRUSTED_PROXIES = env_list("PEERPATH_TRUSTED_PROXIES")
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Peerpath"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 60 * 8)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if IS_PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- i18n -----------------------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "peerpath" / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

# --- static and uploads -----------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns on every request when it is missing
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
if PEERPATH_ENV != "production":
    STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
WHITENOISE_USE_FINDERS = not IS_PRODUCTION
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")) or VAR_DIR / "media")
MEDIA_URL = "/media/"  # never served publicly: uploads go through permission-checked views
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# A JSON API body over this gets 413 before it is parsed (peerpath.core.api_support.ApiBodyLimitMiddleware).
API_MAX_BODY_BYTES = env_int("API_MAX_BODY_BYTES", 1024 * 1024)
# Any request body over this is refused with 413 from its headers before it is received, by the ASGI
# server's wrapper (peerpath.core.body_limit): the largest upload (5 MB files, CSV imports) plus the form.
REQUEST_MAX_BODY_BYTES = env_int("REQUEST_MAX_BODY_BYTES", 12 * 1024 * 1024)

# --- email ----------------------------------------------------------------------------------
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if IS_PRODUCTION else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "peerpath@localhost")

# --- background jobs (database broker: works on SQLite and PostgreSQL, no Redis) ------------
Q_CLUSTER = {
    "name": "peerpath",
    "orm": "default",
    "workers": env_int("Q_WORKERS", 1),
    "timeout": 120,
    "retry": 180,
    "max_attempts": 3,
    "catch_up": False,
    "sync": PEERPATH_ENV == "test",
}

# --- Peerpath specifics -----------------------------------------------------------------------
PEERPATH_DEMO_PASSWORD = env_str("PEERPATH_DEMO_PASSWORD")
PEERPATH_NOT_SEEN_DAYS = env_int("PEERPATH_NOT_SEEN_DAYS", 14)
PEERPATH_MIN_CELL_SIZE = env_int("PEERPATH_MIN_CELL_SIZE", 11)
# Disclosure control (peerpath/core/disclosure.py reads these, and only it): the smallest count of people shown.
PEERPATH_MIN_CELL_CLIENTS = env_int("PEERPATH_MIN_CELL_CLIENTS", PEERPATH_MIN_CELL_SIZE)
PEERPATH_MIN_CELL_STAFF = env_int("PEERPATH_MIN_CELL_STAFF", 5)
# Live routes (server-sent events): how often a stream re-reads the database (ms) when no in-process
# event woke it (another worker process wrote), and how long one stream stays open (s) before the
# browser reconnects.
PEERPATH_LIVE_POLL_MS = env_int("PEERPATH_LIVE_POLL_MS", 15000)
PEERPATH_LIVE_STREAM_SECONDS = env_int("PEERPATH_LIVE_STREAM_SECONDS", 55)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.request": {"level": "ERROR"}},
}
