"""Settings, all from the environment: DATABASE_URL, BOLE_DATA_DIR, SECRET_KEY, BOLE_FIELD_KEY, DEBUG."""

import base64
import datetime as dt
import os
import secrets
import tempfile
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("BOLE_DATA_DIR", Path.cwd() / "data")).resolve()
# The data dir holds the database, uploads and the secret key: the server's own user only (700).
DATA_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)
if DATA_DIR.stat().st_uid == os.getuid():
    DATA_DIR.chmod(0o700)


def _secret_key() -> str:
    """Use SECRET_KEY if given; otherwise generate one once and keep it in the data dir."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    path = DATA_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()


def _field_key() -> str:
    """The key of personal data at rest (`bole.core.crypto`): BOLE_FIELD_KEY if given; otherwise generated once
    and kept in the data dir. Losing it loses every encrypted ID number and phone: back it up, apart from the
    database's backups."""
    if os.environ.get("BOLE_FIELD_KEY"):
        return os.environ["BOLE_FIELD_KEY"].strip()
    path = DATA_DIR / "field_key"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(base64.urlsafe_b64encode(secrets.token_bytes(32)).decode())
    return path.read_text().strip()


BOLE_FIELD_KEY = _field_key()
DEBUG = os.environ.get("DEBUG", "").lower() in {"1", "true", "yes", "on"}
ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",
    "axes",
    "django_q",
    # Bole's apps: each declares what it adds on its AppConfig (bole.core.plugins.BoleApp), read in this order
    # (menu entries within a group, URLs, API routers, demo seeds). The assessment comes after the mechanisms so
    # its demo rounds see the points they have posted; the cockpit (home page, figures, demo) sits on top.
    "bole.core",
    "bole.org",
    "bole.evaluation",
    "bole.ledger",
    "bole.cases",
    "bole.community",
    "bole.challenges",
    "bole.projects",
    "bole.awards",
    "bole.growth",
    "bole.talent",
    "bole.vouchers",
    "bole.villages",
    "bole.training",
    "bole.pairing",
    "bole.assessment",
    "bole.help",
    "bole.cockpit",
]

# Axes first: it refuses a locked-out login before the model backend checks the password. The model backend
# loads the account (role and scope) together with the user on every request.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "bole.core.auth.AccountBackend"]
# Database sessions that know their user: the session, the user and the account are read in one statement.
SESSION_ENGINE = "bole.core.sessions"

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "bole.core.middleware.RequestIdMiddleware",
    # Before CsrfViewMiddleware, whose process_view reads the body this one must judge first.
    "bole.core.middleware.InputGuardMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "bole.core.auth.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a locked-out login into the lockout page
]

ROOT_URLCONF = "bole.urls"
WSGI_APPLICATION = "bole.wsgi.application"

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
                "bole.core.context_processors.nav",
                "bole.core.context_processors.notices",
            ]
        },
    }
]

_default_db = f"sqlite:///{DATA_DIR / 'bole.sqlite3'}"
# Persistent connections (re-checked at each request): opening SQLite and running its PRAGMAs per request
# costs more than a ballot insert.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", _default_db), conn_max_age=600, conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Prepared statements for the few statements core.db.fetch prepares explicitly (a page's session and
    # list reads); the ORM's cursors bind on the client and never prepare, so the threshold is never reached.
    DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = 1_000_000
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run while one writer writes; IMMEDIATE avoids upgrade deadlocks under load.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
            "PRAGMA busy_timeout=30000; PRAGMA cache_size=-65536; PRAGMA temp_store=MEMORY;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
    }
    # A real file (not shared-cache memory) so concurrency tests see SQLite's real locking.
    DATABASES["default"]["TEST"] = {
        "NAME": os.environ.get("BOLE_TEST_SQLITE") or str(Path(tempfile.gettempdir()) / f"bole-test-{os.getpid()}.sqlite3")
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- The task queue (django-q2; bole.core.tasks, docs/TASKS.md) ---------------------------------------------------
# Embedded default: the queue lives in the database and `bole worker` (started by `bole demo`) runs it. Production:
# BOLE_REDIS_URL=redis://host:6379/0 puts the queue and the jobs' live progress in Redis, and `bole worker` runs on
# any number of machines. BOLE_TASKS_SYNC=1 runs each job inside the request that submits it (the tests).
REDIS_URL = os.environ.get("BOLE_REDIS_URL", "")
BOLE_TASKS_SYNC = os.environ.get("BOLE_TASKS_SYNC", "") == "1"
Q_CLUSTER = {
    "name": "bole",
    "workers": int(os.environ.get("BOLE_WORKER_PROCESSES", 2)),
    "timeout": 3 * 3600,  # a job running longer is stopped (its worker is replaced; jobs_reap queues it again)
    "retry": 3 * 3600 + 600,  # a task taken but never acknowledged is handed out again after this
    "max_attempts": 3,
    "ack_failures": True,
    "catch_up": False,  # a worker down for a day runs each periodic job once, not once per missed slot
    "save_limit": 1000,
    "poll": 0.5,
    "label": "任务队列",
    "log_level": os.environ.get("LOG_LEVEL", "WARNING"),
    **({"redis": REDIS_URL} if REDIS_URL else {"orm": "default"}),
}
# Jobs' live progress and heartbeats: shared by every server and worker process (file cache on one machine).
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "jobs": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL, "KEY_PREFIX": "bole"}
        if REDIS_URL else
        {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": str(DATA_DIR / "cache" / "jobs"),
         "OPTIONS": {"MAX_ENTRIES": 10000}}
    ),
}

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
MEDIA_ROOT = DATA_DIR / "media"
WHITENOISE_USE_FINDERS = DEBUG

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True

# Uploads: the import validator enforces its own limits; keep Django's in-memory part small.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
BOLE_IMPORT_MAX_BYTES = int(os.environ.get("BOLE_IMPORT_MAX_BYTES", 30 * 1024 * 1024))
BOLE_IMPORT_MAX_UNPACKED = int(os.environ.get("BOLE_IMPORT_MAX_UNPACKED", 400 * 1024 * 1024))

# --- Input limits, uploads and error pages ------------------------------------------------------------------
# A request body larger than this is refused (413) from its Content-Length, before it is read; the Excel imports
# allow BOLE_IMPORT_MAX_BYTES (`bole.core.middleware.body_limit`). Each uploaded file: BOLE_UPLOAD_MAX_BYTES,
# images and PDF only (`bole.core.uploads`).
BOLE_MAX_REQUEST_BYTES = int(os.environ.get("BOLE_MAX_REQUEST_BYTES", 20 * 1024 * 1024))
BOLE_UPLOAD_MAX_BYTES = int(os.environ.get("BOLE_UPLOAD_MAX_BYTES", 10 * 1024 * 1024))
# Uploaded files and their folders: the server's user only.
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
# Reverse proxies in front of the server that append to X-Forwarded-For (0: clients connect directly); the rate
# limits of public forms key on the client address this gives (`bole.core.ratelimit.client_address`).
BOLE_PROXY_COUNT = int(os.environ.get("BOLE_PROXY_COUNT", 0))
CSRF_FAILURE_VIEW = "bole.core.errors.csrf_failure"
# --- end of input limits --------------------------------------------------------------------------------------

# Outbound SMS (notifications): a dotted backend class; the default only logs. BOLE_PUBLIC_URL prefixes links
# in texts (a resident's private follow link), e.g. https://bole.example.gov.cn; empty leaves links out.
BOLE_SMS_BACKEND = os.environ.get("BOLE_SMS_BACKEND", "bole.core.sms.ConsoleSmsBackend")
BOLE_PUBLIC_URL = os.environ.get("BOLE_PUBLIC_URL", "")

# Anonymous ballots wait in a queue until the mixer moves at least this many at once (and all of them at close):
# a mixed ballot can be told apart from no fewer than this many others (docs/DEVELOPING.md, "Anonymous ballots").
BOLE_BALLOT_MIX_MIN = max(2, int(os.environ.get("BOLE_BALLOT_MIX_MIN", 20)))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    # Bole's own informational lines (texts sent by the logging SMS backend, jobs requeued) are always shown.
    "loggers": {"bole": {"level": os.environ.get("BOLE_LOG_LEVEL", "INFO")}},
}

# --- Sign-in: password rules, login throttling, API tokens -------------------------------------------------
# Applied by `bole createuser` (org.services.account_create) and the password change page.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "bole.core.signin.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes: 5 failed logins for one username from one address lock that pair out for 15 minutes (the
# right password included; attempts during a lockout do not extend it); a successful login clears the count.
# Behind a reverse proxy the address is the proxy's, so the count is then per username. Our audit log records
# sign-ins, so axes keeps no access log.
AXES_FAILURE_LIMIT = int(os.environ.get("BOLE_LOGIN_FAILURE_LIMIT", 5))
AXES_COOLOFF_TIME = dt.timedelta(minutes=int(os.environ.get("BOLE_LOGIN_LOCKOUT_MINUTES", 15)))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # a lockout lasts 15 minutes from the 5th failure
AXES_DISABLE_ACCESS_LOG = True
AXES_LOCKOUT_CALLABLE = "bole.core.signin.lockout_response"
# API tokens expire after this many days unless issued with another expiry.
BOLE_API_TOKEN_DAYS = int(os.environ.get("BOLE_API_TOKEN_DAYS", 90))
# Every list endpoint answers one envelope (count, page, next, previous, items): a bare `@paginate` gets it too.
NINJA_PAGINATION_CLASS = "bole.core.api.Pages"

# --- HTTPS deployments ------------------------------------------------------------------------------------
# Always on (with SESSION_COOKIE_HTTPONLY, X_FRAME_OPTIONS and SECURE_CONTENT_TYPE_NOSNIFF above): no referrer
# to other sites, a window of its own.
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# BOLE_HTTPS=1 behind a TLS-terminating reverse proxy that sets X-Forwarded-Proto: Secure cookies, redirect to
# HTTPS, HSTS for a year. BOLE_ALLOWED_ORIGINS lists the https:// origins forms are posted from (CSRF).
BOLE_HTTPS = os.environ.get("BOLE_HTTPS", "").lower() in {"1", "true", "yes", "on"}
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("BOLE_ALLOWED_ORIGINS", "").split(",") if o]
if BOLE_HTTPS:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("BOLE_HSTS_SECONDS", 365 * 24 * 3600))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# --- Content-Security-Policy (django-csp) ------------------------------------------------------------------
# Only our own files: no inline script or style anywhere (templates use static files and data-* attributes;
# bole/bole.js wires confirmations, auto-submit, print and tabs). data: images are Pico's CSS icons and
# QR codes. Scripts may still set styles through the CSSOM (ECharts, htmx), which CSP allows.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
