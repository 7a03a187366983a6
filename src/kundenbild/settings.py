"""One settings module, driven by the environment.

Zero configuration gives an embedded SQLite database in the data directory, so that
`kundenbild demo` works on a fresh machine; production sets `KUNDENBILD_DATABASE_URL`
(PostgreSQL), `KUNDENBILD_SECRET_KEY` and `KUNDENBILD_ALLOWED_HOSTS`.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from kundenbild.analytics.io.limits import Limits, max_upload_bytes
from kundenbild.paths import default_data_dir

BASE_DIR = Path(__file__).resolve().parent


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


# An area of a customer profile not reviewed for this many days is flagged as due.
REVIEW_INTERVAL_DAYS = int(os.environ.get("KUNDENBILD_REVIEW_INTERVAL_DAYS") or 180)

DATA_DIR = Path(os.environ.get("KUNDENBILD_DATA_DIR") or default_data_dir()).expanduser()


def _secret_key() -> str:
    """Use the configured key, else one generated once and kept in the data directory."""
    configured = os.environ.get("KUNDENBILD_SECRET_KEY")
    if configured:
        return configured
    key_file = DATA_DIR / "secret_key"
    if key_file.exists():
        return key_file.read_text(encoding="utf-8").strip()
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    key_file.write_text(key, encoding="utf-8")
    key_file.chmod(0o600)
    return key


SECRET_KEY = _secret_key()
DEBUG = _env_bool("KUNDENBILD_DEBUG", False)
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("KUNDENBILD_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",")
    if h.strip()
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("KUNDENBILD_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "ninja",
    "simple_history",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "kundenbild.core",
    "kundenbild.accounts",
    "kundenbild.customers",
    "kundenbild.buying_center",
    "kundenbild.finance",
    "kundenbild.offerings",
    "kundenbild.activities",
    "kundenbild.potential",
    "kundenbild.profile",
    "kundenbild.imports",
    "kundenbild.insights",
    "kundenbild.chains",
    "kundenbild.portfolio",
    "kundenbild.workspace",
    "kundenbild.demo",
]

# Background work (analysis runs) goes through django-tasks: by default into the database,
# where `kundenbild manage db_worker` (started by `kundenbild demo` and `serve`) runs it;
# KUNDENBILD_TASKS=immediate runs it at once in the process that asks (tests).
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend"
        if os.environ.get("KUNDENBILD_TASKS") == "immediate"
        else "django_tasks_db.DatabaseBackend"
    }
}

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "kundenbild.core.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "kundenbild.imports.middleware.UploadLimitMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "kundenbild.accounts.middleware.UserLanguageMiddleware",
    "kundenbild.accounts.middleware.LoginRequiredMiddleware",
    "kundenbild.core.middleware.OversizedNumberMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "kundenbild.core.middleware.ApplicationErrorMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kundenbild.urls"
WSGI_APPLICATION = "kundenbild.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kundenbild.accounts.context_processors.kundenbild",
            ],
        },
    }
]

DATABASE_URL = os.environ.get("KUNDENBILD_DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "kundenbild.sqlite3"),
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Wrong passwords lock the account they were tried for, not the address they came from:
# behind a company proxy everybody shares one address, and one person's typos must not
# lock out the colleagues. An address gets its own, much higher limit against someone
# trying many accounts (accounts.lockout.AccountAndAddressHandler).
AXES_FAILURE_LIMIT = int(os.environ.get("KUNDENBILD_LOGIN_FAILURES_PER_ACCOUNT") or 10)
KUNDENBILD_LOGIN_FAILURES_PER_ADDRESS = int(
    os.environ.get("KUNDENBILD_LOGIN_FAILURES_PER_ADDRESS") or 100
)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_HANDLER = "kundenbild.accounts.lockout.AccountAndAddressHandler"
# axes warns when it does not lock by address; the handler above does, at its own limit
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"

# An API token stops working this many days after it was made, unless made with fewer.
KUNDENBILD_API_TOKEN_DAYS = int(os.environ.get("KUNDENBILD_API_TOKEN_DAYS") or 180)

LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("German")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise expects it, even before collectstatic
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Serve straight from the package when collectstatic has not run (demo, tests).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# Production runs behind HTTPS: KUNDENBILD_HTTPS=1 sends cookies over HTTPS only,
# redirects plain HTTP and tells browsers to use HTTPS for a year (HSTS); with it,
# `kundenbild manage check --deploy` is clean. A reverse proxy
# that ends TLS says so in X-Forwarded-Proto; KUNDENBILD_BEHIND_PROXY=1 trusts that header
# (only where the proxy sets it, or any client could claim HTTPS).
HTTPS = _env_bool("KUNDENBILD_HTTPS", False)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = HTTPS or _env_bool("KUNDENBILD_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = int(os.environ.get("KUNDENBILD_HSTS_SECONDS") or 31_536_000) if HTTPS else 0
# HSTS covers the subdomains and may be preloaded; a company with plain-HTTP subdomains
# sets KUNDENBILD_HSTS_SUBDOMAINS=0 (and then the preload list, which needs them, is off)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS and _env_bool("KUNDENBILD_HSTS_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = SECURE_HSTS_INCLUDE_SUBDOMAINS
if _env_bool("KUNDENBILD_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Every script is a file of our own origin: no inline script, no eval, no other origin, so
# an injected <script> or onerror= never runs even where a template or chart forgets to
# escape. Styles allow inline attributes (Bootstrap markup, ECharts, Swagger UI set them);
# images allow data: URIs (Bootstrap's icons in CSS, charts saved as PNG).
CONTENT_SECURITY_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "font-src": ["'self'", "data:"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}


# Uploads and what a file may hold unpacked (see kundenbild.analytics.io.limits): from the
# environment, KUNDENBILD_MAX_UPLOAD_MB (1024), KUNDENBILD_MAX_ROWS, KUNDENBILD_MAX_COLUMNS,
# KUNDENBILD_MAX_CELL_CHARS, KUNDENBILD_MAX_XLSX_UNPACKED_MB, ..._PARQUET_UNPACKED_MB
MAX_UPLOAD_BYTES = max_upload_bytes()
IMPORT_LIMITS = Limits.from_env()

SIMPLE_HISTORY_HISTORY_ID_USE_UUID = False

# The demo shows its logins on the login page; production never does.
KUNDENBILD_DEMO = _env_bool("KUNDENBILD_DEMO", False)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("KUNDENBILD_LOG_LEVEL", "WARNING")},
}
