"""Settings of the minimal django-helpdesk 2.6.1 site of ``bench/peer_helpdesk.py`` (its own venv, not Grassroots).

Read from environment variables set by the benchmark:

* ``PEER_DB_ENGINE`` — ``postgresql`` (``PEER_DB_NAME``, ``PEER_DB_HOST``, ``PEER_DB_PORT``, ``PEER_DB_USER``,
  ``PEER_DB_PASSWORD``) or ``sqlite`` (``PEER_DB_NAME`` is the file);
* ``PEER_DIR`` — a folder for the secret key and media.

As close to a production deployment as the Grassroots side: DEBUG off, the database session backend, persistent
PostgreSQL connections (``CONN_MAX_AGE`` 60, as Grassroots) and the same SQLite pragmas (WAL). The knowledge
base stays enabled (2.6.1's URL configuration needs it); teams mode is off, so ``pinax-teams`` is not needed.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

PEER_DIR = Path(os.environ.get("PEER_DIR", "/tmp/peer-helpdesk"))
PEER_DIR.mkdir(parents=True, exist_ok=True)
_key = PEER_DIR / "secret_key"
if not _key.exists():
    _key.write_text(secrets.token_urlsafe(50))
SECRET_KEY = _key.read_text().strip()

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.humanize",
    "rest_framework",
    "helpdesk",
]
SITE_ID = 1

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "peer_urls"
WSGI_APPLICATION = "peer_wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
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

if os.environ.get("PEER_DB_ENGINE", "sqlite") == "postgresql":
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": os.environ.get("PEER_DB_NAME", "peer_helpdesk"),
            "HOST": os.environ.get("PEER_DB_HOST", "127.0.0.1"),
            "PORT": os.environ.get("PEER_DB_PORT", "5432"),
            "USER": os.environ.get("PEER_DB_USER", "postgres"),
            "PASSWORD": os.environ.get("PEER_DB_PASSWORD", ""),
            "CONN_MAX_AGE": 60,
        }
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("PEER_DB_NAME", str(PEER_DIR / "helpdesk.sqlite3")),
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

LOGIN_URL = "helpdesk:login"
LOGIN_REDIRECT_URL = "helpdesk:home"

LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# Static files are not measured (HTML only); the tags still need a URL.
STATIC_URL = "/static/"
STATIC_ROOT = PEER_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = PEER_DIR / "media"

EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"

# django-helpdesk
HELPDESK_TEAMS_MODE_ENABLED = False
HELPDESK_KB_ENABLED = True
HELPDESK_REDIRECT_TO_LOGIN_BY_DEFAULT = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
