"""Settings for the Kawasaki ward-office initiatives portal.

Everything that differs between a laptop and production is read from the
environment (12-factor). The defaults are for local development and are safe:
with DEBUG off the process refuses to start without a secret key and allowed hosts.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# --- Core -------------------------------------------------------------------

DEBUG = env_bool("DEBUG", default=True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")

if DEBUG:
    # A fixed key is fine for a developer's machine only; production must set its own.
    SECRET_KEY = SECRET_KEY or "django-insecure-local-development-only"
    ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost", "[::1]", "testserver"]
else:
    if not SECRET_KEY:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off.")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # Before staticfiles, so that runserver serves static files as production does.
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django_filters",
    "import_export",
    "simple_history",
    # The project's apps, lowest layer first (README: Layout).
    "core",
    "wards",
    "initiatives",
    "feedback",
    "proposals",
    "search",
    "portal.apps.PortalConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before everything that works on a page: a page served from the cache costs none of
    # their work (core.pagecache says who is served and what is kept). The policies' headers
    # are the same on every page (no nonces), so they are kept with the page and served
    # with it; building the CSP header was a quarter of a cache hit's time.
    "core.pagecache.PageCacheMiddleware",
    "csp.middleware.CSPMiddleware",
    "core.permissions_policy.PermissionsPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # NUL bytes out of every GET parameter (PostgreSQL refuses them), dates out of range refused.
    "core.params.CleanParametersMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Records who made each change, inlines and imports included, in the history.
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "kawasaki_wards.urls"
WSGI_APPLICATION = "kawasaki_wards.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                # The header's name, 自分のコメント, モデレーション and 管理画面 links.
                "portal.context_processors.account",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------

# SQLite unless DATABASE_URL says otherwise, so that a newcomer needs nothing installed.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ------------------------------------------------------------------

# Every process must share one cache: the whole-page cache (core.pagecache), the facet
# counts and the rate limits are only right when each worker and each app server sees the
# same entries. So with DEBUG off a per-process cache is refused: set REDIS_URL (the
# production choice), or CACHE_BACKEND=database to choose the database cache on purpose
# (a table made by `manage.py createcachetable`; slower, but nothing more to run).
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHE_BACKEND = os.environ.get("CACHE_BACKEND", "redis" if REDIS_URL else "").strip().lower()
if not CACHE_BACKEND:
    if not DEBUG:
        raise ImproperlyConfigured(
            "With DEBUG off a shared cache is needed: set REDIS_URL, or CACHE_BACKEND=database "
            "to choose the database cache (manage.py createcachetable)."
        )
    CACHE_BACKEND = "locmem"
if CACHE_BACKEND == "redis":
    if not REDIS_URL:
        raise ImproperlyConfigured("CACHE_BACKEND=redis needs REDIS_URL.")
    CACHES = {
        "default": {
            # Django's Redis backend, reusing its Redis client (core.cache says why).
            "BACKEND": "core.cache.RedisCache",
            "LOCATION": REDIS_URL,
            # A cache that hangs must not hang every page (and /readyz answers in time).
            "OPTIONS": {
                "socket_connect_timeout": float(os.environ.get("REDIS_TIMEOUT", "2")),
                "socket_timeout": float(os.environ.get("REDIS_TIMEOUT", "2")),
            },
        }
    }
elif CACHE_BACKEND == "database":
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "kawasaki_cache",
            # The page cache keeps many entries; culling a third at a time keeps writes cheap.
            "OPTIONS": {"MAX_ENTRIES": 20_000, "CULL_FREQUENCY": 3},
        }
    }
elif CACHE_BACKEND == "locmem":
    if not DEBUG:
        raise ImproperlyConfigured(
            "CACHE_BACKEND=locmem is a per-process cache: with DEBUG off set REDIS_URL or "
            "CACHE_BACKEND=database."
        )
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    raise ImproperlyConfigured(
        f"CACHE_BACKEND={CACHE_BACKEND!r} is not one of redis, database, locmem."
    )

# Whole pages for anonymous visitors (core.pagecache). Entries live at most
# PAGE_CACHE_SECONDS; any change of the data makes them stale at once before that.
PAGE_CACHE_ENABLED = env_bool("PAGE_CACHE_ENABLED", default=True)
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "600"))
# How long a browser or proxy may keep an anonymous page without asking again (it then
# revalidates with If-None-Match and gets a 304 while the page is unchanged).
PAGE_CACHE_MAX_AGE = int(os.environ.get("PAGE_CACHE_MAX_AGE", "5"))
READYZ_TIMEOUT = float(os.environ.get("READYZ_TIMEOUT", "2"))

# --- Authentication ---------------------------------------------------------

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Messages shown once each, even when the same notice is added twice before a page shows it.
MESSAGE_STORAGE = "core.messages.UniqueMessageStorage"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# --- Internationalisation ---------------------------------------------------

LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", _("Japanese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True

# --- Static and media files -------------------------------------------------

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
    # Uploads waiting for an import's confirmation (core.spreadsheets.UploadStorage): a
    # folder beside the media, never served by the web server.
    "import_export": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": Path(os.environ.get("PRIVATE_ROOT", BASE_DIR / "private"))},
    },
}

FIXTURE_DIRS = [BASE_DIR / "fixtures"]

# --- Import and export (django-import-export) -------------------------------

# A file with any error saves nothing: every import runs in one transaction.
IMPORT_EXPORT_USE_TRANSACTIONS = True
# An upload waits for its confirmation under a random name in a private storage, the
# confirm form naming it only signed with the user's id (core.spreadsheets).
IMPORT_EXPORT_TMP_STORAGE_CLASS = "core.spreadsheets.UploadStorage"
# Only accounts given the model's import/export permission (Meta.permissions) may use them;
# the library lets every admin user import and export otherwise.
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "import"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "export"
# IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT stays off: it deletes the "=" from a cell, which
# loses text and cannot be undone on import. core.spreadsheets escapes reversibly instead.

# --- Security ---------------------------------------------------------------

SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# A load balancer probes over plain HTTP: the health checks are never redirected.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
# No inline script or style anywhere: everything comes from the portal's own static files.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
if not DEBUG:
    # TLS ends at the proxy; it tells us the scheme in X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=False)
    if not SECURE_HSTS_PRELOAD:
        # Preloading commits the whole domain to HTTPS for good: the city decides, not the app.
        SILENCED_SYSTEM_CHECKS = ["security.W021"]
    CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# --- Email ------------------------------------------------------------------

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "portal@localhost")
if os.environ.get("EMAIL_FILE_PATH"):
    # The folder of the file backend (EMAIL_BACKEND=…filebased.EmailBackend), as the benches use.
    EMAIL_FILE_PATH = os.environ["EMAIL_FILE_PATH"]

# --- Logging ----------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# --- Committee comments: sign-in lock-out and posting rate limit ------------

# Password guessing (django-axes): after AXES_FAILURE_LIMIT failed sign-ins the account is
# locked from that address, and the lock lifts by itself after the cool-off (axes' default
# is a lock for ever).
INSTALLED_APPS += ["axes"]
MIDDLEWARE += ["axes.middleware.AxesMiddleware"]
AUTHENTICATION_BACKENDS = [
    # First, so that a locked-out sign-in is refused before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_RESET_ON_SUCCESS = True
# Members sign in from shared office networks: lock one account from one address, so that
# one person's typos lock neither the whole office nor the account everywhere.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_CALLABLE = "portal.views.feedback.locked_out"
# The client's address is REMOTE_ADDR, unless TRUSTED_PROXY_COUNT reverse proxies stand in
# front, each appending the address it saw to X-Forwarded-For: see core.client_ip.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "core.client_ip.client_ip"

# Posting rate (django-ratelimit), per member. Its counters must be shared by every server
# process: Redis when REDIS_URL is set, else a database cache table that feedback's migration
# creates, so that a new machine needs nothing installed. The database cache increments by a
# read and a write, so two posts of one member at the same instant may count once; Redis
# counts exactly.
if REDIS_URL:
    RATELIMIT_USE_CACHE = "default"
else:
    CACHES["ratelimit"] = {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "feedback_ratelimit_cache",
    }
    RATELIMIT_USE_CACHE = "ratelimit"
FEEDBACK_COMMENT_RATE = os.environ.get("FEEDBACK_COMMENT_RATE", "10/m")
# On SQLite the cache's writes are read-then-write transactions, which SQLite fails at once
# ("database is locked") when two run together, and the database cache drops a failed
# write silently, so posts slipped past the limit under load. Taking the write lock at
# BEGIN makes such transactions wait their turn (up to 20 s rather than 5 s) instead.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        transaction_mode="IMMEDIATE",
        timeout=20,
        # Write-ahead logging: readers never wait for a writer. With the default rollback
        # journal a large write (an import of 10,000 rows) spills to the file under an
        # exclusive lock and the public pages wait for it, up to "database is locked".
        init_command="PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
    )

# --- Residents' proposals -----------------------------------------------------

# The confirmation link sent to a proposal's address works once, for this many seconds.
PROPOSAL_CONFIRMATION_MAX_AGE = int(
    os.environ.get("PROPOSAL_CONFIRMATION_MAX_AGE", str(48 * 60 * 60))
)
# Proposals sent per client address and per e-mail address (django-ratelimit, on the shared
# cache above). An office or a school may share one address: its limit is the looser one.
PROPOSAL_RATE_PER_ADDRESS = os.environ.get("PROPOSAL_RATE_PER_ADDRESS", "10/h")
PROPOSAL_RATE_PER_EMAIL = os.environ.get("PROPOSAL_RATE_PER_EMAIL", "3/h")

# --- API ---------------------------------------------------------------------

# The read-only JSON API at /api/v1/ (portal/api/), its OpenAPI schema (/api/schema/) and
# Swagger UI (/api/docs/) from drf-spectacular-sidecar's static files: no CDN, as the CSP
# allows 'self' only. CORS is open to every origin for reading: the API, the feeds and
# the open-data files are public, and no cookie is read by them.
INSTALLED_APPS += ["rest_framework", "drf_spectacular", "drf_spectacular_sidecar", "corsheaders"]
# Before CommonMiddleware, as django-cors-headers asks.
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.common.CommonMiddleware"),
    "corsheaders.middleware.CorsMiddleware",
)
CORS_URLS_REGEX = r"^/(en/)?(api|feeds|open-data)/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_CREDENTIALS = False

# Anonymous clients' requests a client address, counted in the shared cache of the rate
# limits (Redis, or the database cache): a per-process cache would count per process.
API_ANONYMOUS_RATE = os.environ.get("API_ANONYMOUS_RATE", "120/min")
API_THROTTLE_CACHE = RATELIMIT_USE_CACHE

REST_FRAMEWORK = {
    # Read-only and public: no session (so no CSRF), every client is anonymous.
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "portal.api.views.api_exception_handler",
    # The client's address behind TRUSTED_PROXY_COUNT proxies, as core.client_ip reads it.
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
    "UNICODE_JSON": True,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "川崎市 区役所の取組ポータル API",
    "DESCRIPTION": (
        "Read-only JSON API of the Kawasaki ward-office initiatives portal: the open data "
        "(/open-data/) as collections. Licence: PDL1.0 (compatible with CC BY 4.0); "
        "attribution: 出典：川崎市 区役所の取組ポータル（URL）."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}
