"""Django settings. Every value comes from a declaration in `wendbaar.conf`; none is set here twice."""

from __future__ import annotations

import ipaddress
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from wendbaar import conf

BASE_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = conf.PROJECT_ROOT
VAR_DIR = conf.project_path(conf.get("VAR_DIR"))
SHARED_DATA = conf.project_path(conf.get("SHARED_DATA"))
ENGINE_PATH = conf.project_path(conf.get("ENGINE_PATH"))
ENGINE_SEMANTIC = conf.get("ENGINE_SEMANTIC")
STORE_DIR = conf.project_path(conf.get("STORE_DIR"))
PDF_PROCESSES = conf.get("PDF_PROCESSES")
CHART_PROCESSES = conf.get("CHART_PROCESSES")
RADAR_WARM_AFTER_LANDING = conf.get("RADAR_WARM_AFTER_LANDING")
RADAR_STALE_SECONDS = conf.get("RADAR_STALE_SECONDS")

PRODUCTION = conf.get("PRODUCTION")
DEBUG = conf.get("DEBUG")
SECRET_KEY = conf.get("SECRET_KEY")
if PRODUCTION:
    if not SECRET_KEY:
        raise ImproperlyConfigured("WENDBAAR_SECRET_KEY must be set in production (WENDBAAR_PRODUCTION=true).")
    if DEBUG:
        raise ImproperlyConfigured("WENDBAAR_DEBUG must be false in production (WENDBAAR_PRODUCTION=true).")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # HTTPS only: redirect plain HTTP, and tell browsers to stay on HTTPS (check --deploy W004, W008).
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = conf.get("HSTS_SECONDS")
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
elif not SECRET_KEY:
    SECRET_KEY = "wendbaar-development-key-not-for-production"  # development only
ALLOWED_HOSTS = conf.get("ALLOWED_HOSTS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "django_filters",
    "django_tasks",
    "django_tasks_db",
    # Before allauth, so our allauth/layouts and elements templates override allauth's own.
    "wendbaar.web",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "axes",
    "wendbaar",
    "wendbaar.regions",
    "wendbaar.skills",
    "wendbaar.radar",
    "wendbaar.catalogue",
    "wendbaar.demand",
    "wendbaar.passport",
    "wendbaar.careers",
    "wendbaar.funding",
    "wendbaar.enrolment",
    "wendbaar.hub",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "wendbaar.web.language.DutchFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "wendbaar.radar.store.per_request.StoreVersionPerRequest",  # one read of the radar store's version per GET
    "wendbaar.api_conventions.ApiVersionMiddleware",
    # Outside the problem+json middleware, so the problem documents it makes carry the headers too.
    "wendbaar.security.SecurityHeadersMiddleware",
    "wendbaar.api_conventions.ProblemJsonMiddleware",
    "wendbaar.faults.DatabaseUnavailableMiddleware",  # a lost or locked database: 503, try again
    # Last, as django-axes asks: it turns a locked-out login into its lockout answer.
    "axes.middleware.AxesMiddleware",
]
# Static files served by the application itself (whitenoise), also with DEBUG off and under gunicorn.
MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "wendbaar.urls"
WSGI_APPLICATION = "wendbaar.wsgi.application"

# Django's form templates, with selects written in Python (a template include per option was ~50 ms on
# the catalogue search's municipality list): wendbaar/web/form_rendering.py.
FORM_RENDERER = "wendbaar.web.form_rendering.QuickSelectRenderer"

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
                "wendbaar.web.context.navigation",
            ],
        },
    }
]


def _database(url: str) -> dict[str, object]:
    if url.startswith("sqlite:///"):
        path = conf.project_path(url.removeprefix("sqlite:///"))  # relative paths are under the project root
        path.parent.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{path}"
    database = dj_database_url.parse(url, conn_max_age=0 if url.startswith("sqlite") else 60)
    if database["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets readers work while one writer writes; IMMEDIATE takes the write lock at BEGIN
        # so two writers queue on the busy timeout instead of failing halfway with "database is locked".
        database["OPTIONS"] = {
            "timeout": conf.get("SQLITE_BUSY_TIMEOUT"),
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        }
        database["TEST"] = {"NAME": None}
    return dict(database)


DATABASES = {"default": _database(conf.get("DATABASE_URL"))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked-out login before any password check
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "web:home"
ACCOUNT_LOGOUT_REDIRECT_URL = "web:home"
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
# Accounts come from a region's coordinator (security.AccountAdapter); an operator who opens sign-up
# gets mandatory e-mail verification with it.
ACCOUNT_ADAPTER = "wendbaar.security.AccountAdapter"
ACCOUNT_SIGNUP_OPEN = conf.get("SIGNUP_OPEN")
ACCOUNT_EMAIL_VERIFICATION = "mandatory" if ACCOUNT_SIGNUP_OPEN else "none"
ACCOUNT_LOGOUT_ON_GET = False
# Accounts come from the region's coordinator (sign-up closed); the login field says what to fill in.
ACCOUNT_ADAPTER = "wendbaar.web.accounts.AccountAdapter"
ACCOUNT_FORMS = {"login": "wendbaar.web.accounts.PlainLoginForm"}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]

# Argon2 first (new and changed passwords); the others only check old hashes and upgrade them at login.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
# One cache shared by every server process (the database), so allauth's rate limits (login,
# password reset) hold under several gunicorn workers; a per-process LocMemCache would not.
# Its table is made on every `migrate` (wendbaar.apps).
# The participation monitor keeps its figures apart (keyed by the monitor's version, so never stale), so
# that its many entries never push the rate limits out of the default cache when it culls.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "wendbaar_cache"},
    "monitor": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "wendbaar_monitor_cache",
        "TIMEOUT": 24 * 3600,
        "OPTIONS": {"MAX_ENTRIES": 5000},
    },
}
# Login lockout (django-axes, in the database: shared by all workers): per user name and address,
# for the allauth login and the admin login alike.
AXES_FAILURE_LIMIT = conf.get("LOGIN_FAILURE_LIMIT")
AXES_COOLOFF_TIME = conf.get("LOGIN_LOCKOUT_MINUTES") / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "wendbaar.security.login_name"
AXES_RESET_ON_SUCCESS = True

LANGUAGE_CODE = conf.get("LANGUAGE_CODE")
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = conf.get("TIME_ZONE")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise reads it at start-up (empty until collectstatic)
# Production: hashed names and compressed copies from `collectstatic`; without it (development) files
# are served from the apps' folders. (bench/load_test.py collects a production site's files with it.)
PRODUCTION_STATICFILES_BACKEND = "whitenoise.storage.CompressedManifestStaticFilesStorage"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": PRODUCTION_STATICFILES_BACKEND
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
API_TOKEN_MAX_AGE_DAYS = conf.get("API_TOKEN_MAX_AGE_DAYS")
EMAIL_BACKEND = conf.get("EMAIL_BACKEND")
DEFAULT_FROM_EMAIL = conf.get("DEFAULT_FROM_EMAIL")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "wendbaar.security.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "wendbaar.api_schema.WendbaarAutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "wendbaar.api_conventions.Pagination",
    "PAGE_SIZE": conf.get("API_PAGE_SIZE"),
    "EXCEPTION_HANDLER": "wendbaar.api_conventions.problem_exception_handler",
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
}
API_VERSION = "1.0.0"
SPECTACULAR_SETTINGS = {
    "TITLE": "Wendbaar API",
    "DESCRIPTION": "API of Wendbaar, the platform for lifelong learning (LLO) in Dutch labour-market regions. "
    "Follows the NL GOV API Design Rules: errors are application/problem+json (RFC 9457).",
    "VERSION": API_VERSION,
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "CONTACT": {"name": "Wendbaar"},
    "LICENSE": {"name": "EUPL-1.2"},
    # Choice sets that share a field name ("kind", "status") get their own names instead of generated
    # hashes (KindF01Enum), and the SBI sectors one name wherever they are used.
    "ENUM_NAME_OVERRIDES": {
        "ConceptKindEnum": "wendbaar.skills.models.Kind",
        "ConceptStatusEnum": "wendbaar.skills.models.Status",
        "CredentialTypeEnum": "wendbaar.catalogue.models.CredentialType",
        "EducationLevelEnum": "wendbaar.funding.constants.EducationLevel",
        "EmploymentStatusEnum": "wendbaar.funding.constants.EmploymentStatus",
        "EventKindEnum": "wendbaar.hub.constants.EventKind",
        "SectorEnum": "wendbaar.regions.constants.Sector",
    },
}

# Background work (DESIGN.md): django-tasks with its database backend, run by `wendbaar db_worker`.
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
if conf.get("TASKS_BACKEND") not in _TASK_BACKENDS:
    raise ImproperlyConfigured(f"WENDBAAR_TASKS_BACKEND must be one of {', '.join(_TASK_BACKENDS)}.")
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[conf.get("TASKS_BACKEND")]}}
# A running radar run without a heartbeat for this long is shown as stalled and may be retried.
RADAR_RUN_STALE_AFTER = conf.get("RADAR_RUN_STALE_AFTER")
# The skills passport's credentials (Open Badges 3.0): issuer identity, signing keys, the OB context file.
CREDENTIAL_ISSUER_URL = conf.get("CREDENTIAL_ISSUER_URL")
CREDENTIAL_ISSUER_NAME = conf.get("CREDENTIAL_ISSUER_NAME")
CREDENTIAL_KEYS = conf.get("CREDENTIAL_KEYS")
CREDENTIAL_KEYS_DIR = conf.project_path(conf.get("CREDENTIAL_KEYS_DIR"))
OB_CONTEXT_PATH = conf.project_path(conf.get("OB_CONTEXT_PATH"))
CREDENTIAL_FETCH_TIMEOUT = conf.get("CREDENTIAL_FETCH_TIMEOUT")
# Another issuer's documents come only from public addresses, unless from these networks (passport/remote.py).
CREDENTIAL_FETCH_ALLOWED_NETWORKS = conf.get("CREDENTIAL_FETCH_ALLOWED_NETWORKS")
for _network in CREDENTIAL_FETCH_ALLOWED_NETWORKS:
    try:
        ipaddress.ip_network(_network, strict=False)
    except ValueError as _exc:
        raise ImproperlyConfigured(f"WENDBAAR_CREDENTIAL_FETCH_ALLOWED_NETWORKS: {_network!r} is not a network "
                                   "like 127.0.0.0/8 or 10.1.2.3.") from _exc  # fmt: skip
# did:web over plain http for these hosts only (tests, development); never in production.
DID_WEB_HTTP_HOSTS = conf.get("DID_WEB_HTTP_HOSTS")
if PRODUCTION and DID_WEB_HTTP_HOSTS:
    raise ImproperlyConfigured("WENDBAAR_DID_WEB_HTTP_HOSTS must be empty in production: did:web uses https.")
# Demand pooling and gaps (docs/demand.md).
DEMAND_SIMILARITY = conf.get("DEMAND_SIMILARITY")
DEMAND_MIN_OVERLAP_DAYS = conf.get("DEMAND_MIN_OVERLAP_DAYS")
DEMAND_DEFAULT_MIN_GROUP = conf.get("DEMAND_DEFAULT_MIN_GROUP")
DEMAND_GAP_COVERAGE = conf.get("DEMAND_GAP_COVERAGE")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {
        "wendbaar": {"handlers": ["console"], "level": conf.get("LOG_LEVEL")},
        # A refused request (403) is logged as one line, not with a traceback (issue 23).
        "django.request": {"filters": ["one_line_for_refusals"]},
    },
    "filters": {"one_line_for_refusals": {"()": "wendbaar.web.errors.OneLineForRefusals"}},
}
