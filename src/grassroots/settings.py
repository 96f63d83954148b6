"""Settings, read from environment variables with safe defaults.

Runtime files (SQLite database, generated keys, uploads) live in ``./var/`` of the working directory unless
``GRASSROOTS_VAR_DIR`` names another folder. Keys that are not given are generated once into that folder.
"""

from __future__ import annotations

import secrets
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent

env = environ.Env()

VAR_DIR = Path(env.str("GRASSROOTS_VAR_DIR", default=str(Path.cwd() / "var"))).resolve()
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _key_from_file(name: str, length: int = 50) -> str:
    """Read a key from ``VAR_DIR/name``, creating it (mode 600) on first use."""
    path = VAR_DIR / name
    if not path.exists():
        path.write_text(secrets.token_urlsafe(length))
        path.chmod(0o600)
    return path.read_text().strip()


DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="") or _key_from_file("secret_key")
# Personal-data key: salts the Fernet key of encrypted columns (a list allows rotation, newest first)
# and keys the HMAC lookup columns.
PERSONAL_DATA_KEYS: list[str] = env.list("PERSONAL_DATA_KEY", default=[]) or [_key_from_file("personal_data_key")]
SALT_KEY = PERSONAL_DATA_KEYS
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_htmx",
    "django_tables2",
    "huey.contrib.djhuey",
    "treebeard",
    "simple_history",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "grassroots.core",
    "grassroots.accounts",
    "grassroots.territory",
    "grassroots.organizations",
    "grassroots.people",
    "grassroots.web",
    "grassroots.demo",
    "grassroots.imports",
    "grassroots.portal",
    "grassroots.notifications",
    "grassroots.catalogue",
    "grassroots.cases",
    "grassroots.whistle",
    "grassroots.frontline",
    "grassroots.cockpit",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "grassroots.urls"
WSGI_APPLICATION = "grassroots.wsgi.application"
AUTH_USER_MODEL = "accounts.User"

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
                "django.template.context_processors.i18n",
                "grassroots.web.context_processors.navigation",
                "grassroots.notifications.context_processors.unread_notifications",
            ],
        },
    },
]

# Database: SQLite under VAR_DIR by default (WAL, IMMEDIATE transactions); DATABASE_URL for PostgreSQL.
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'grassroots.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": ("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON"),
    }
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Background tasks (imports, exports, reports, sweeps): huey. Embedded default: a SQLite queue under VAR_DIR
# (no broker); with REDIS_URL, Redis. `grassroots run_huey` is the worker; `grassroots demo` starts one.
HUEY = {
    "huey_class": "huey.RedisHuey" if REDIS_URL else "huey.SqliteHuey",
    "name": "grassroots",
    "immediate": env.bool("HUEY_IMMEDIATE", default=False),
    "results": True,
    "utc": True,
    "consumer": {"workers": 2, "worker_type": "thread", "initial_delay": 0.2, "backoff": 1.2, "max_delay": 2.0},
}
if REDIS_URL:
    HUEY["url"] = REDIS_URL
else:
    HUEY["filename"] = str(VAR_DIR / "tasks.sqlite3")

DJANGO_TABLES2_TEMPLATE = "web/partials/_table.html"

# Login and sessions
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "grassroots.accounts.validators.ComplexityValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "login"
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_SECONDS", default=30 * 60)
SESSION_SAVE_EVERY_REQUEST = True  # the age counts from the last request: expiry after inactivity
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 0.5  # hours: a locked account opens again after 30 minutes
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

# Security headers; strict transport settings only when not in DEBUG (production mode).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
    SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=False)
    CSRF_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=False)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
    SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS > 0
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("BEHIND_PROXY", default=False) else None

# Internationalisation
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# Static files and uploads: served by the project itself (whitenoise), nothing from the internet.
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise warns on every request when it is missing
STATICFILES_DIRS = [BASE_DIR / "static"]
WHITENOISE_USE_FINDERS = True
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "grassroots.core.pagination.StandardPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "grassroots.core.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Grassroots API",
    "DESCRIPTION": "党建引领基层治理平台 — REST API",
    "VERSION": "1.0.0",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "RegionKindEnum": "grassroots.territory.enums.RegionKind",
        "OrganizationKindEnum": "grassroots.organizations.enums.OrganizationKind",
        "PersonRoleKindEnum": "grassroots.people.enums.PersonRoleKind",
        "CaseKindEnum": "grassroots.cases.enums.CaseKind",
        "CaseStatusEnum": "grassroots.cases.enums.CaseStatus",
        "CaseEventKindEnum": "grassroots.cases.enums.EventKind",
        "SatisfactionEnum": "grassroots.cases.enums.Satisfaction",
        "ReportStatusEnum": "grassroots.frontline.enums.ReportStatus",
        "ReportChannelEnum": "grassroots.frontline.enums.ReportChannel",
        "ResourceKindEnum": "grassroots.frontline.enums.ResourceKind",
        "ProjectStatusEnum": "grassroots.frontline.enums.ProjectStatus",
        "PointsSourceEnum": "grassroots.frontline.enums.PointsSource",
        "CampaignStatusEnum": "grassroots.frontline.enums.CampaignStatus",
        "PlaceKindEnum": "grassroots.frontline.enums.PlaceKind",
        "BookingStatusEnum": "grassroots.frontline.enums.BookingStatus",
        "UrgencyEnum": "grassroots.whistle.enums.Urgency",
        "WhistleStatusEnum": "grassroots.whistle.enums.WhistleStatus",
        "CallStatusEnum": "grassroots.whistle.enums.CallStatus",
        "WhistleEventKindEnum": "grassroots.whistle.enums.WhistleEventKind",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}

# Resident portal: the sign-in code sender, and whether the code is shown on the page (demo only: the
# deployment check fails while it is on and DEBUG is off, unless PORTAL_DEMO_SHOW_CODE=0 is set).
PORTAL_OTP_SENDER = env.str("PORTAL_OTP_SENDER", default="grassroots.portal.sms.LogSender")
PORTAL_DEMO_SHOW_CODE = env.bool("PORTAL_DEMO_SHOW_CODE", default=True)
LOGGING["loggers"] = {"grassroots.portal.sms": {"level": "INFO"}}

# The demo district's area code (玉州区, 广西玉林), used for generated ID numbers.
DEMO_AREA_CODE = "450902"

# Resident needs (cases): working hours for SLA deadlines, how "basically satisfied" counts in the
# satisfaction rate (1 = as satisfied, 0.5 = half, 0 = not at all), when unrated fulfilled cases close,
# and the largest photo accepted.
CASES_WORKING_PERIODS = (("09:00", "12:00"), ("13:00", "18:00"))
CASES_BASIC_SATISFIED_WEIGHT = env.float("CASES_BASIC_SATISFIED_WEIGHT", default=1.0)
CASES_AUTO_CLOSE_DAYS = env.int("CASES_AUTO_CLOSE_DAYS", default=7)
CASES_PHOTO_MAX_BYTES = env.int("CASES_PHOTO_MAX_BYTES", default=5 * 1024 * 1024)

# Whistles (吹哨报到): minutes a called department has to report on site, by urgency, and how many minutes after
# that deadline a call still not reported escalates from the street to the district.
WHISTLE_REPORT_MINUTES = {
    "urgent": env.int("WHISTLE_REPORT_MINUTES_URGENT", default=30),
    "normal": env.int("WHISTLE_REPORT_MINUTES_NORMAL", default=1440),
}
WHISTLE_DISTRICT_AFTER_MINUTES = env.int("WHISTLE_DISTRICT_AFTER_MINUTES", default=120)

# Open311 GeoReport v2 (/open311/v2/): the jurisdiction served (a client sending another one gets a 404) and
# the contact line of the discovery document (empty: a generic line pointing to the district's administrators).
OPEN311_JURISDICTION_ID = env.str("OPEN311_JURISDICTION_ID", default="yuzhou.example.gov.cn")
OPEN311_CONTACT = env.str("OPEN311_CONTACT", default="")

# Outside notification channels (name → dotted path). The default records what would be sent and sends
# nothing; a deployment points "sms" at its SMS gateway and "wechat" at its template-message sender.
NOTIFICATION_CHANNELS = {
    "sms": env.str("NOTIFY_SMS_CHANNEL", default="grassroots.notifications.channels.RecordingChannel"),
    "wechat": env.str("NOTIFY_WECHAT_CHANNEL", default="grassroots.notifications.channels.RecordingChannel"),
}
