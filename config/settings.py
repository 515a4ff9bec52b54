"""Settings, driven by environment variables (see README, "Cấu hình / Configuration").

SQLite (WAL) in the project's data folder by default; PostgreSQL when DATABASE_URL is set.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.env import env_bool, env_int, env_list, env_str, secret_key_from_file

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(env_str("GIAMNGHEO_DATA_DIR", str(BASE_DIR / "data")))

DEBUG = env_bool("DEBUG", False)
# SECRET_KEY from the environment, else a random key made once in the data folder (file mode 600): no key in
# the repository, and `make run` needs no set-up.
SECRET_KEY = env_str("SECRET_KEY", "") or secret_key_from_file(DATA_DIR / "secret_key")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "simple_history",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "rules.apps.AutodiscoverRulesConfig",
    "giamngheo.commands",
    "giamngheo.units",
    "giamngheo.accounts",
    "giamngheo.documents",
    "giamngheo.households",
    "giamngheo.reviews",
    "giamngheo.imports",
    "giamngheo.plans",
    "giamngheo.reports",
    "giamngheo.support",
    "giamngheo.dashboard",
    "giamngheo.demo",
    "giamngheo.rollups",
    "ninja",
    "giamngheo.api",
    "giamngheo.odk",
    "giamngheo.field",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "giamngheo.common.language.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "giamngheo.api.middleware.PartnersUseTheApiOnly",
    # Logging out empties the offline app's storage on that browser (giamngheo/field/middleware.py).
    "giamngheo.field.middleware.ClearDeviceOnLogout",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Session limits and private answers (giamngheo/accounts/middleware.py); below the CSP middleware, so a
    # printable document's own policy is in place when the header is written.
    "giamngheo.accounts.middleware.SessionLimitMiddleware",
    "giamngheo.accounts.middleware.PrivateResponseMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, so it turns any refused login (the login page, /admin/login/) into the "too many attempts" page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "giamngheo" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "giamngheo.accounts.context_processors.current_unit",
            ],
        },
    },
]

DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'giamngheo.sqlite3'}")
# Persistent connections only help a server with a fixed pool of threads; the server ``make run`` starts
# (runserver) makes a thread per request, so kept connections pile up until PostgreSQL refuses new ones
# ("too many clients": 5xx under 20 readers, bench/RESULTS-load.md). Set DB_CONN_MAX_AGE under a pool.
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 0))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while an import writes; IMMEDIATE avoids "database is locked" upgrades.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

# Read replicas (giamngheo/common/replicas.py, README "Scaling out"): DATABASE_REPLICA_URL names one
# PostgreSQL hot standby or several (comma-separated), aliases replica1, replica2 … Reports, the dashboard,
# exports and the API's lists read from a healthy one; writes, and a user's reads for a moment after their own
# write, go to the primary. A replica more than DATABASE_REPLICA_MAX_LAG seconds behind, or not answering, is
# skipped (asked at most every DATABASE_REPLICA_CHECK_SECONDS). Without replicas, no router, no middleware.
DATABASE_REPLICAS: list[str] = []
DATABASE_REPLICA_MAX_LAG = env_int("DATABASE_REPLICA_MAX_LAG", 10)
DATABASE_REPLICA_CHECK_SECONDS = env_int("DATABASE_REPLICA_CHECK_SECONDS", 2)
for _number, _url in enumerate(env_list("DATABASE_REPLICA_URL", []), start=1):
    _replica = dj_database_url.parse(_url, conn_max_age=DATABASES["default"]["CONN_MAX_AGE"])
    if not _replica["ENGINE"] == DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        raise ImproperlyConfigured(
            "DATABASE_REPLICA_URL: standbys of a PostgreSQL DATABASE_URL, postgres://…"
        )
    # An unreachable host is given up after 2 s (the read falls back to the primary), unless the URL says.
    _replica.setdefault("OPTIONS", {}).setdefault("connect_timeout", 2)
    _replica["TEST"] = {"MIRROR": "default"}  # the test suite reads its one test database through it
    DATABASES[f"replica{_number}"] = _replica
    DATABASE_REPLICAS.append(f"replica{_number}")
if DATABASE_REPLICAS:
    DATABASE_ROUTERS = ["giamngheo.common.replicas.ReplicaRouter"]
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
        "giamngheo.common.replicas.ReadYourWritesMiddleware",
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out (user name, address) before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "dashboard:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Login throttling (django-axes, giamngheo/accounts/throttle.py): after this many failed attempts for one user
# name from one address within the window, that name is refused from that address until the window passes.
LOGIN_MAX_FAILURES = env_int("LOGIN_MAX_FAILURES", 5)
LOGIN_FAILURE_WINDOW_SECONDS = env_int("LOGIN_FAILURE_WINDOW_SECONDS", 15 * 60)
AXES_FAILURE_LIMIT = LOGIN_MAX_FAILURES
AXES_COOLOFF_TIME = datetime.timedelta(seconds=LOGIN_FAILURE_WINDOW_SECONDS)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "giamngheo.accounts.throttle.throttle_username"
AXES_HANDLER = "giamngheo.accounts.throttle.LoginThrottleHandler"
AXES_LOCKOUT_CALLABLE = "giamngheo.accounts.views.locked_out"
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_ENABLE_ACCESS_FAILURE_LOG = True

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "giamngheo" / "locale"]
# Vietnamese whatever the browser says; English only when chosen with the switch, remembered for a year
# (giamngheo/common/language.py).
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True
FORMAT_MODULE_PATH = ["giamngheo.formats"]

STATIC_URL = "static/"
# Needed only by collectstatic (production, STATIC_MANIFEST=1); otherwise whitenoise serves from the finders.
STATIC_ROOT = DATA_DIR / "static" if env_bool("STATIC_MANIFEST", False) else None
STATICFILES_DIRS = [BASE_DIR / "giamngheo" / "static"]
# whitenoise serves static files from the application itself (no CDN, no separate web server needed in a
# commune); production may run collectstatic and set STATIC_MANIFEST=1 for cache-busted, compressed files.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if env_bool("STATIC_MANIFEST", False)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
CSRF_FAILURE_VIEW = "giamngheo.common.web.csrf_failure"
# A session lasts at most one working day, and ends sooner after SESSION_IDLE_SECONDS without a request
# (giamngheo.accounts.middleware.SessionLimitMiddleware). The cookie dies with the day's session too.
SESSION_MAX_SECONDS = env_int("SESSION_MAX_SECONDS", 8 * 60 * 60)
SESSION_IDLE_SECONDS = env_int("SESSION_IDLE_SECONDS", 30 * 60)
SESSION_COOKIE_AGE = SESSION_MAX_SECONDS
SESSION_COOKIE_SAMESITE = "Lax"

# Behind HTTPS (SECURE_COOKIES=1): secure cookies, HTTP redirected to HTTPS, and HSTS for a year.
SECURE_COOKIES = env_bool("SECURE_COOKIES", False)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", SECURE_COOKIES)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 365 * 24 * 60 * 60) if SECURE_COOKIES else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
# A reverse proxy that ends TLS tells Django the original scheme (set BEHIND_HTTPS_PROXY=1 only behind one).
if env_bool("BEHIND_HTTPS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Content-Security-Policy: everything from this server only (htmx, Alpine's CSP build, Chart.js and the fonts
# are vendored); no inline script or style in the pages.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
if env_bool("FAST_PASSWORD_HASHER", False):  # tests only: PBKDF2 at full strength is slow by design
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# ``giamngheo.audit`` (who revealed a citizen ID, who exported a household list) is written at INFO whatever
# LOG_LEVEL says, to ``AUDIT_LOG_FILE`` (default: data/logs/audit.log), rotated at midnight and kept
# ``AUDIT_LOG_DAYS`` days (``giamngheo/common/audit_log.py``).
AUDIT_LOG_FILE = env_str("AUDIT_LOG_FILE", str(DATA_DIR / "logs" / "audit.log"))
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"audit": {"format": "%(asctime)s %(levelname)s %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "audit_file": {
            "()": "giamngheo.common.audit_log.AuditFileHandler",
            "filename": AUDIT_LOG_FILE,
            "days": env_int("AUDIT_LOG_DAYS", 90),
            "formatter": "audit",
            "level": "INFO",
        },
    },
    "loggers": {"giamngheo.audit": {"handlers": ["audit_file"], "level": "INFO", "propagate": False}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}

SIMPLE_HISTORY_HISTORY_ID_USE_UUID = False

# A background job whose worker has not renewed its lease for this long is shown as stopped, with "run
# again" (``giamngheo/common/lease.py``; a dead worker on the same machine is seen at once).
JOB_LEASE_SECONDS = env_int("JOB_LEASE_SECONDS", 600)

# The REST API's limit per token (per user for the browser's session): "requests/seconds".
API_RATE_LIMIT = env_str("API_RATE_LIMIT", "120/60")
# Days the offline field app keeps a downloaded assignment on a phone before deleting it (issue 13).
FIELD_DATA_DAYS = env_int("FIELD_DATA_DAYS", 7)
# Batches of surveys (25 each) the app uploads at once when it syncs. 2: one batch travels while the other
# is recorded, hiding the link's round trips; more only wait, since the server records one round's surveys
# one after another (the round's lock; SQLite's single writer besides) — bench/RESULTS-offline.md.
FIELD_PARALLEL_UPLOADS = env_int("FIELD_PARALLEL_UPLOADS", 2)

# Background work (long imports) runs through django-tasks' database backend: no broker to install.
# `giamngheo db_worker` runs the tasks (`make run` starts one beside the web server). TASKS_IMMEDIATE=1 runs
# them inside the request instead (a trial without a worker); tests that run a task switch to the immediate
# backend themselves (``override_settings(TASKS=...)``).
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend"
        if env_bool("TASKS_IMMEDIATE", False)
        else "django_tasks_db.DatabaseBackend"
    }
}
