"""Settings shared by every environment, read from the environment with safe defaults.

Variables (all optional in development):
  ANJU_SECRET_KEY        secret key (development default is generated into var/secret_key)
  DATABASE_URL           e.g. postgres://user:pass@host:5432/anju (default: var/anju.sqlite3)
  ANJU_DEBUG             "1" for debug pages
  ANJU_ALLOWED_HOSTS     comma-separated host names
  ANJU_VAR_DIR           SQLite database, uploads and the secret key (default ./var)
  ANJU_CODE_KEY          key for hashing household codes (default: derived from the secret key)
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from csp.constants import NONCE
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("ANJU_VAR_DIR", BASE_DIR / "var"))
BUILD_DIR = Path(os.environ.get("ANJU_BUILD_DIR", BASE_DIR / "build"))


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, "1" if default else "0").lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def development_secret_key() -> str:
    """A per-checkout key kept in var/, so sessions survive restarts without a committed secret."""
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = os.environ.get("ANJU_SECRET_KEY") or development_secret_key()
DEBUG = env_bool("ANJU_DEBUG", False)
ALLOWED_HOSTS = env_list("ANJU_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CODE_HASH_KEY = os.environ.get("ANJU_CODE_KEY", "")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_htmx",
    "simple_history",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "anju.core",
    "anju.territory",
    "anju.access",
    "anju.catalogue",
    "anju.engagement",
    "anju.planning",
    "anju.coordination",
    "anju.stewardship",
    "anju.design",
    "anju.construction",
    "anju.funding",
    "anju.web",
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
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
    "anju.access.middleware.ScopeMiddleware",
    "anju.core.middleware.DomainErrorMiddleware",
    "anju.core.middleware.MethodNotAllowedPageMiddleware",
    "anju.core.middleware.PrivateCacheMiddleware",
]

ROOT_URLCONF = "anju.urls"
WSGI_APPLICATION = "anju.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "anju.web.context_processors.navigation",
            ],
        },
    }
]


def database_from_environment() -> dict:
    url = os.environ.get("DATABASE_URL")
    if url:
        config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
        return config
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": VAR_DIR / "anju.sqlite3",
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
            ),
        },
    }


DATABASES = {"default": database_from_environment()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

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
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "web:sign-in"
LOGIN_REDIRECT_URL = "web:workbench"
LOGOUT_REDIRECT_URL = "web:home"

# Staff sign-in: django-axes locks a username+address out after 5 failures for 15 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "web/locked_out.html"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "anju" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BUILD_DIR / "vendor"] if (BUILD_DIR / "vendor").exists() else []
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

REST_FRAMEWORK = {
    # Token first: DRF takes the WWW-Authenticate header from the first class, so a caller
    # without credentials gets 401 "Token" (Session has no header and would make it 403).
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["anju.access.api_permissions.IsStaffWithScope"],
    "DEFAULT_SCHEMA_CLASS": "anju.core.api.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "anju.core.api.exception_handler",
    "DEFAULT_FILTER_BACKENDS": [],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "anju API",
    "DESCRIPTION": "anju (安居) — old compound renovation platform",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Choice sets that share a field name ("role", "status") get names of their own.
    "ENUM_NAME_OVERRIDES": {
        "StaffRoleEnum": "anju.access.models.Role",
        "ProjectAssignmentRoleEnum": "anju.design.models.projects.ProjectAssignment.Role",
        "PlanVersionStatusEnum": "anju.design.models.plans.PlanVersion.Status",
        "ReviewStatusEnum": "anju.design.models.reviews.Review.Status",
        "StewardshipBodyEnum": "anju.stewardship.models.governance.Body",
        "ReportStatusEnum": "anju.stewardship.models.reports.Status",
        "ReportChannelEnum": "anju.stewardship.models.reports.Channel",
        "LedgerEntryKindEnum": "anju.funding.models.ledger.LedgerEntry.Kind",
        "ProjectPartyRoleEnum": "anju.construction.models.parties.PartyRole",
    },
}

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
ANJU_TASK_HEARTBEAT_SECONDS = 5
ANJU_TASK_STALE_SECONDS = 60

# Household-code sign-in limits, failures per fixed window: a code is locked after a few
# failures; an address only when it is clearly guessing (residents share community Wi-Fi).
ANJU_CODE_SIGN_IN_LIMIT_PER_CODE = 5
ANJU_CODE_SIGN_IN_LIMIT_PER_ADDRESS = 300
ANJU_CODE_SIGN_IN_WINDOW_SECONDS = 15 * 60

# Exports of more rows than this run as a tracked background job with a progress bar.
ANJU_EXPORT_SYNC_MAX_ROWS = 5_000

# Wuhan's extent (DOMAIN.md "Coordinates"); a city deployment overrides these.
ANJU_CITY_CODE = "4201"
ANJU_CITY_EXTENT = (113.68, 29.96, 115.09, 31.37)
ANJU_CITY_PROJECTED_CRS = "EPSG:4547"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"anju": {"level": "INFO"}, "django_tasks": {"level": "INFO"}},
}

# Residents' problem reports (stewardship): a reminder this many working days before the due
# date; an overdue report goes to the district at once and to the city this many working days
# after its due date. anju's defaults: no national figure was found.
ANJU_REPORT_REMIND_DAYS_BEFORE = 1
ANJU_REPORT_CITY_ESCALATION_DAYS = 3

# Construction: a project whose actual progress lags the plan by more than this many
# percentage points is flagged to its district; joint acceptance needs at least this many
# residents' representatives; an overdue rectification order goes to the district at once and
# to the city this many working days after its deadline; rectification deadlines by severity
# (working days). anju's defaults: no national figure was found.
ANJU_PROGRESS_BEHIND_MARGIN = 10
ANJU_ACCEPTANCE_MIN_RESIDENT_REPRESENTATIVES = 3
ANJU_RECTIFICATION_CITY_ESCALATION_DAYS = 3
ANJU_RECTIFICATION_DAYS = {"minor": 5, "major": 3, "critical": 1}
# Satisfaction checks: confidence and margin of the sample (DOMAIN.md), days it stays open.
ANJU_SATISFACTION_CONFIDENCE = "0.95"
ANJU_SATISFACTION_MARGIN = "0.05"
ANJU_SATISFACTION_OPEN_DAYS = 30
