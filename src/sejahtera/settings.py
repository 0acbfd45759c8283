"""Settings, read from environment variables.

DATABASE_URL   PostgreSQL in production (postgres://user@host/db); SQLite in the data
               folder when unset.
SECRET_KEY     required when DEBUG is off.
DEBUG          "1" for development.
ALLOWED_HOSTS  comma-separated host names.
SEJAHTERA_REGENCY  Kemendagri code of the regency this installation serves (default 32.01).
SEJAHTERA_HTTPS    "1" (default when DEBUG is off): secure cookies, HSTS and HTTPS redirect.
SEJAHTERA_DATA_DIR folder for the SQLite database and uploaded files (default ./data).
SEJAHTERA_IMPORT_MAX_MB  largest registry file accepted by the web import (default 200).
SEJAHTERA_CAREERS_POOR_PRIORITY  "1": members of poor families (desil 1-4) get priority in the
               career center's candidate lists for Disnaker staff (default off).
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from sejahtera.demo_env import data_dir


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = data_dir()

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG and not os.environ.get("PYTEST_VERSION"):
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-" + "x" * 40
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")

SEJAHTERA_REGENCY = os.environ.get("SEJAHTERA_REGENCY", "32.01").replace(".", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_tasks_db",
    "ninja",
    "sejahtera.core",
    "sejahtera.accounts",
    "sejahtera.regions",
    "sejahtera.registry",
    "sejahtera.welfare",
    "sejahtera.programs",
    "sejahtera.careers",
    "sejahtera.training",
    "sejahtera.monitoring",
    "sejahtera.web",
    "sejahtera.api",
    "sejahtera.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "sejahtera.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "sejahtera.urls"
WSGI_APPLICATION = "sejahtera.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

SQLITE_OPTIONS = {
    "init_command": (
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
        "PRAGMA busy_timeout=5000; PRAGMA cache_size=-64000;"
    ),
    "transaction_mode": "IMMEDIATE",
}

DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": DATA_DIR / "sejahtera.sqlite3"}}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL's JIT spends 0.5-2 s compiling each large query before running it: longer than the
    # counts and set-based statements of this system take to run without it.
    pg_options = DATABASES["default"].setdefault("OPTIONS", {})
    pg_options["options"] = f"-c jit=off {pg_options.get('options', '')}".strip()
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = SQLITE_OPTIONS
    DATABASES["default"].pop("CONN_HEALTH_CHECKS", None)
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "web:family_list"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Indonesian")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True

STATIC_URL = "static/"
# Static files are served from the installed package by WhiteNoise; `collectstatic` is optional
# and needs SEJAHTERA_STATIC_ROOT.
STATIC_ROOT = os.environ.get("SEJAHTERA_STATIC_ROOT") or None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Registry files uploaded for import, their reports and progress files. The web server and the
# task worker (`sejahtera db_worker`) must both reach this folder.
SEJAHTERA_IMPORT_DIR = DATA_DIR / "imports"
SEJAHTERA_IMPORT_MAX_MB = int(os.environ.get("SEJAHTERA_IMPORT_MAX_MB", "200"))

# Career center matching: a bonus for members of poor families (sejahtera.careers.recommend).
SEJAHTERA_CAREERS_POOR_PRIORITY = env_bool("SEJAHTERA_CAREERS_POOR_PRIORITY", False)

# Security. Behind HTTPS in production; the demo runs plain HTTP on 127.0.0.1.
HTTPS = env_bool("SEJAHTERA_HTTPS", not DEBUG)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 3600
X_FRAME_OPTIONS = "DENY"
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
