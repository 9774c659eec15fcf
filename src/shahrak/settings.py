"""Shahrak's settings. Configuration comes only from environment variables, read here.

SHAHRAK_DATABASE_URL   database URL (default: SQLite file var/shahrak.sqlite3)
SHAHRAK_SECRET_KEY     secret key (default: a random key kept in var/secret_key)
SHAHRAK_DEBUG          "true" only on a developer's machine (default: false)
SHAHRAK_ALLOWED_HOSTS  comma-separated host names (default: 127.0.0.1,localhost)
SHAHRAK_HTTPS          served behind HTTPS: secure cookies, HSTS, redirect (default: not DEBUG)
SHAHRAK_DATA_DIR       folder for the SQLite file, the key and uploads (default: var/)
SHAHRAK_BEHIND_PROXY   "true" when a reverse proxy sets X-Forwarded-For (default: false)
SHAHRAK_LOCKOUT_MINUTES  how long 5 wrong passwords lock an account (default: 30)
SHAHRAK_EMAIL_HOST     SMTP server for invitations and password resets; unset: printed to
                       the console. With it: SHAHRAK_EMAIL_PORT (587), SHAHRAK_EMAIL_USER,
                       SHAHRAK_EMAIL_PASSWORD, SHAHRAK_EMAIL_FROM
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_DIR = PACKAGE_DIR.parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DATA_DIR = Path(os.environ.get("SHAHRAK_DATA_DIR") or REPO_DIR / "var")
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    """The configured key, or one generated once and kept beside the data (never a constant)."""
    if key := os.environ.get("SHAHRAK_SECRET_KEY"):
        return key
    path = DATA_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(64))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("SHAHRAK_DEBUG", False)
ALLOWED_HOSTS = env_list("SHAHRAK_ALLOWED_HOSTS", "127.0.0.1,localhost")
HTTPS = env_bool("SHAHRAK_HTTPS", not DEBUG)
BEHIND_PROXY = env_bool("SHAHRAK_BEHIND_PROXY", False)

INSTALLED_APPS = [
    # Shahrak's apps first: their templates and translations win. Order is dependency
    # order; `shahrak demo` loads each app's demo data in this order.
    "shahrak.core",
    "shahrak.places",
    "shahrak.accounts",
    "shahrak.notifications",
    "shahrak.parks",
    "shahrak.units",
    "shahrak.revival",
    "shahrak.support",
    "shahrak.clusters",
    "shahrak.reports",
    "shahrak.home",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Form widgets render through the project's templates (FORM_RENDERER below), so that
    # templates/django/forms/ can show choice labels with Persian digits.
    "django.forms",
    "django_htmx",
    "rest_framework",
    "drf_spectacular",
    "django_filters",
    "auditlog",
    "axes",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "shahrak.core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "shahrak.core.middleware.PersianFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "shahrak.accounts.audit.AuditMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "shahrak.core.middleware.DomainErrorMiddleware",
    # Last, as django-axes requires: it answers locked-out sign-ins.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "shahrak.urls"

# Background work (large imports): tasks are kept in the database and run by
# `shahrak db_worker`, a process beside the web server (see README: "Background work").
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
WSGI_APPLICATION = "shahrak.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "shahrak.core.context_processors.shell",
                "shahrak.home.context_processors.navigation",
                "shahrak.notifications.context_processors.unread",
            ],
            "builtins": [
                "shahrak.core.templatetags.fa",
                "shahrak.accounts.templatetags.access",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("SHAHRAK_DATABASE_URL") or f"sqlite:///{DATA_DIR / 'shahrak.sqlite3'}",
        conn_max_age=60,
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while one request writes; IMMEDIATE avoids lock upgrades failing.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses locked-out accounts first
    "shahrak.accounts.backends.UsernameOrMobileBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home:home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Five wrong passwords lock the account (whatever alias was typed: username or mobile).
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("SHAHRAK_LOCKOUT_MINUTES") or 30))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_USERNAME_CALLABLE = "shahrak.accounts.backends.canonical_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "shahrak.accounts.views.locked_out"
AXES_VERBOSE = False
# axes.W006 asks to lock by address too. Offices reach Shahrak from one address (NAT): five
# typos by different people would lock the whole office out. We lock the account instead.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

AUDITLOG_LOGENTRY_MODEL = "accounts.AuditEntry"
# Our AuditEntry replaces auditlog's LogEntry, but auditlog's migrations would still create
# the unused auditlog_logentry table (and PostgreSQL then refuses to truncate content types).
MIGRATION_MODULES = {"auditlog": None}
AUDITLOG_STORE_JSON_CHANGES = True
AUDITLOG_USE_FK_STRING_REPRESENTATION = True  # "بوشهر", not "5", in a record's history

if os.environ.get("SHAHRAK_EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["SHAHRAK_EMAIL_HOST"]
    EMAIL_PORT = int(os.environ.get("SHAHRAK_EMAIL_PORT") or 587)
    EMAIL_HOST_USER = os.environ.get("SHAHRAK_EMAIL_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("SHAHRAK_EMAIL_PASSWORD", "")
    EMAIL_USE_TLS = EMAIL_PORT == 587
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("SHAHRAK_EMAIL_FROM") or "shahrak@localhost"
# Notifications (shahrak.notifications) are also emailed only where a mail server is set.
SHAHRAK_EMAIL_NOTIFICATIONS = bool(os.environ.get("SHAHRAK_EMAIL_HOST"))

# Persian first; English is the second language. Dates are stored Gregorian, shown Jalali.
LANGUAGE_CODE = "fa"
LANGUAGES = [("fa", _("Persian")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
# A list filter's empty choice: «همه», not «---------» (django-filter).
FILTERS_EMPTY_CHOICE_LABEL = _("All")
TIME_ZONE = "Asia/Tehran"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
# Front-end files copied from node_modules by make (not data: they stay beside the code).
STATICFILES_DIRS = [PACKAGE_DIR / "static", ("vendor", REPO_DIR / "var" / "vendor")]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = DATA_DIR / "media"

# Sessions end with the browser and after two idle hours.
SESSION_COOKIE_AGE = 2 * 60 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
# A form posted with an expired token gets the error page in the shell, not Django's text.
CSRF_FAILURE_VIEW = "shahrak.core.error_pages.csrf_failure"
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if HTTPS:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 365 * 24 * 60 * 60
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Uploads (spreadsheets) are capped; larger files are refused before they are read.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "EXCEPTION_HANDLER": "shahrak.core.api.api_exception_handler",
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Shahrak API",
    "DESCRIPTION": "The API of Shahrak (شهرک), the Industrial Parks Company information system.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    # Choice sets sharing a field name ("stage") named apart.
    "ENUM_NAME_OVERRIDES": {
        "ClusterPlanStageEnum": "shahrak.clusters.choices.PlanStage",
        "RevivalCaseStageEnum": "shahrak.revival.choices.CaseStage",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        # The refusals (400/403/404/409) with one Error body; `version` required to update.
        "shahrak.core.api.document_errors",
    ],
}

# Domain settings (constants of the business, not of the deployment).
# ISIPO size classes by employees: micro < 10, small < 50, medium ≤ 150, large above.
SHAHRAK_SIZE_THRESHOLDS = {"micro": 10, "small": 50, "medium": 151}
# "Persian Gulf countries" in export reports: the GCC members and Iraq.
SHAHRAK_PERSIAN_GULF_COUNTRIES = ["AE", "SA", "QA", "KW", "BH", "OM", "IQ"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
