"""Waystation settings, read from the environment (see README "Configuration")."""

from pathlib import Path

import dj_database_url
from csp.constants import NONCE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from project.env import env_bool, env_email, env_float, env_int, env_list, env_secret, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", default=False)
SECRET_KEY = env_secret("SECRET_KEY", dev_default="dev-only-insecure-key" if DEBUG else None)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", ["http://127.0.0.1:8000", "http://localhost:8000"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.gis",
    "rest_framework",
    "rest_framework_gis",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "csp",
    "stations",
    "cases",
    "maps",
    "open311",
    "outreach",
    "notify",
    "demo",
]

MIDDLEWARE = [
    # First: refuses NUL bytes and over-large API bodies before anything reads them.
    "project.middleware.RequestGuardMiddleware",
    # Before anything that reads the database: marks public reads for the replica router.
    "project.replicas.ReplicaReadsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "project.middleware.CSPMiddleware",  # django-csp's, a plain policy built once
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "project.middleware.PermissionsPolicyMiddleware",
    "project.middleware.DatabaseUnavailableMiddleware",
    # Last, so that it sees the admin login's failures after authentication ran.
    "axes.middleware.AxesMiddleware",
]

# Django's cookie-then-session storage, its signer made only when a message is read or written.
MESSAGE_STORAGE = "project.messages.MessageStorage"

AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses a locked-out login before the password is hashed.
    "project.auth.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "project.urls"
WSGI_APPLICATION = "project.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "project" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]


def _database(url: str | None = None, name: str = "DATABASE_URL") -> dict:
    url = url or env_str("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/waystation")
    try:
        config = dj_database_url.parse(
            url,
            # A new connection costs ~25 ms (PostGIS loads on first use); keep them open.
            conn_max_age=env_int("CONN_MAX_AGE", 600),
            conn_health_checks=True,
        )
    except Exception as exc:  # dj-database-url raises several types for a bad URL
        raise ImproperlyConfigured(f"{name} is not a valid database URL: {exc}") from None
    if not config.get("NAME") or "postgres" not in config.get("ENGINE", ""):
        raise ImproperlyConfigured(
            f"{name} must point at a PostgreSQL database with PostGIS, "
            "e.g. postgres://user:password@host:5432/waystation"
        )
    config["ENGINE"] = "django.contrib.gis.db.backends.postgis"
    options = config.setdefault("OPTIONS", {})
    # JIT kicks in for PostGIS-costed plans and added 150-850 ms to short KNN queries here.
    options.setdefault("options", "-c jit=off")
    options.setdefault("connect_timeout", env_int("DATABASE_CONNECT_TIMEOUT", 5))
    return config


DATABASES = {"default": _database()}

# Streaming read replicas of DATABASE_URL, comma-separated: public reads go to the first usable
# one (project/replicas.py). Each becomes the alias replica_1, replica_2, ...; the test run points
# them at the test database (replicas cannot be written, so tests never create one).
DATABASE_PRIMARY = "default"
DATABASE_REPLICAS = []
_replica_urls = [u.strip() for u in (env_str("DATABASE_REPLICA_URLS", "") or "").split(",")]
for _number, _url in enumerate(filter(None, _replica_urls), start=1):
    DATABASES[f"replica_{_number}"] = {
        **_database(_url, "DATABASE_REPLICA_URLS"), "TEST": {"MIRROR": "default"},
    }
    DATABASE_REPLICAS.append(f"replica_{_number}")
DATABASE_ROUTERS = ["project.replicas.ReplicaRouter"]
# Anonymous GETs of these API paths skip the middleware that has nothing to do for them
# (project/wsgi.py): no session, no login, no form, no static file. Only views that never read
# the session (the nearest search has no authentication): a view that does answers with
# `Vary: Cookie` through the full chain.
PUBLIC_API_READ_PATHS = ["/api/facilities/nearest/"]
PUBLIC_API_READ_SKIPPED_MIDDLEWARE = [
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "axes.middleware.AxesMiddleware",
]
# A replica further behind the primary than this (seconds) is skipped; how often each process
# measures that; how long a client that wrote reads the primary (read-your-writes).
REPLICA_MAX_LAG_SECONDS = env_float("REPLICA_MAX_LAG_SECONDS", 5)
REPLICA_CHECK_SECONDS = env_float("REPLICA_CHECK_SECONDS", 1)
READ_YOUR_WRITES_SECONDS = env_int("READ_YOUR_WRITES_SECONDS", 5)
# The public read paths (prefixes): answered from a replica when there is one, and without the
# per-request connection health check (project.middleware.DatabaseUnavailableMiddleware).
PUBLIC_READ_PATHS = env_list(
    "PUBLIC_READ_PATHS", ["/api/facilities/", "/api/areas/", "/api/ping/", "/maps/facilities/", "/find/"]
)


def _cache() -> dict:
    """One cache shared by every worker: throttles and the gap analysis rely on it.

    CACHE_URL: `db://` (default, a database cache in the table `django_cache`, made by
    `createcachetable` and by the test database's creation; no new server),
    `redis://host:6379/0` (Django's Redis backend),
    `locmem://` (one process only: tests of a single process, never several workers).
    """
    url = env_str("CACHE_URL", "db://")
    scheme = url.split("://", 1)[0]
    if scheme == "db":
        return {
            # Django's, with one statement per write (project/cache.py).
            "BACKEND": "project.cache.DatabaseCache",
            "LOCATION": "django_cache",
            # Throttle counts are entries too: culling at Django's default of 300 would forget
            # them under a spread-out attack.
            "OPTIONS": {"MAX_ENTRIES": env_int("CACHE_MAX_ENTRIES", 100_000)},
        }
    if scheme in {"redis", "rediss"}:
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    if scheme == "locmem":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    raise ImproperlyConfigured(f"CACHE_URL must be db://, redis://host:port/db or locmem://; got {url!r}")


CACHES = {"default": _cache()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Leaflet and its marker-cluster plugin come from Debian (libjs-leaflet*), installed by provisioning,
# so map pages never depend on a CDN.
LEAFLET_DIR = Path(env_str("LEAFLET_DIR", "/usr/share/javascript/leaflet"))
# project/ is not an app: its static files (site.css, people.css, the shared ws.js) are listed here.
STATICFILES_DIRS = [BASE_DIR / "project" / "static"] + (
    [("vendor/leaflet", LEAFLET_DIR)] if LEAFLET_DIR.is_dir() else []
)
# Uploaded files (case photos). Never served publicly: staff read them through authenticated
# views. A deployment may point the "default" storage at object storage instead.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed names (app.3f2a1c.js) so whitenoise can serve them with a year-long, immutable
    # cache header; collectstatic (make run, make test) writes the manifest and the .gz copies.
    "staticfiles": {
        "BACKEND": "project.storage.StaticStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "project.schema.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "project.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    # HTTP Basic makes the server hash a password on every request that carries one (0.4 s of
    # CPU each): a cheap way to starve the workers. Off unless a deployment needs it.
    # `Authorization: Token KEY` first: an API key acting with its union's jurisdiction. A request
    # that presents a key is judged by it (a wrong one is refused even beside a session).
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "open311.authentication.ApiKeyAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ]
    + (["rest_framework.authentication.BasicAuthentication"] if env_bool("API_BASIC_AUTH") else []),
    "DEFAULT_PARSER_CLASSES": [
        "project.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    # Scoped per view (project.throttles); each scope's rate is "N/second|minute|hour|day".
    "DEFAULT_THROTTLE_RATES": {
        scope: env_str(f"THROTTLE_{scope.upper()}", rate) or None
        for scope, rate in {
            "intake": "20/hour",  # anonymous submissions of cases per client address
            "tracking": "60/minute",  # tracking look-ups (guessing tokens) per address
            "rating": "10/hour",
            "checkin": "30/hour",
            "open311": "60/minute",
        }.items()
    },
    # Proxies in front of gunicorn whose X-Forwarded-For is trusted: `make run` puts nginx there.
    "NUM_PROXIES": env_int("NUM_PROXIES", 1),
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "EXCEPTION_HANDLER": "project.errors.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"]
    + (["rest_framework.renderers.BrowsableAPIRenderer"] if DEBUG else []),
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Waystation API",
    "DESCRIPTION": "Rest stations, canteens and charging points for outdoor workers; "
    "worker cases routed to the responsible union; coverage-gap analysis.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # One name per choice set: a reception day's `host_role` and a pairing's `role` are both
    # outreach's HostRole (otherwise named after whichever field is met first, with a warning).
    "ENUM_NAME_OVERRIDES": {"HostRoleEnum": "outreach.models.HostRole"},
    "SWAGGER_UI_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "project.schema.document_errors",
    ],
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# Map tiles. A GCJ-02 source (Amap, Tencent) needs points shifted to match: set MAP_TILES_CRS=gcj02.
MAP_TILES_URL = env_str("MAP_TILES_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILES_ATTRIBUTION = env_str(
    "MAP_TILES_ATTRIBUTION",
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
)
MAP_TILES_CRS = env_str("MAP_TILES_CRS", "wgs84")
if MAP_TILES_CRS not in {"wgs84", "gcj02"}:
    raise ImproperlyConfigured(f"MAP_TILES_CRS must be wgs84 or gcj02; got {MAP_TILES_CRS!r}")

# Every case has an owner (cases.intake.owner): a case placed in an area no union answers for, not
# even one above it, goes to the union of this area (an adcode; empty: such cases are refused).
# Also used by the migration that gave old cases without a union one.
DEFAULT_INTAKE_AREA = env_str("DEFAULT_INTAKE_AREA", "")

# Where the service is reached from outside: links in e-mails, and the one address webhooks may
# not point at (notify.targets).
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

# E-mail, e.g. EMAIL_URL=smtp+tls://user:password@smtp.example.org:587 (see project/env.py).
# The console by default, so a development machine sends nothing.
globals().update(env_email("EMAIL_URL", "console://"))
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Waystation <noreply@localhost>")

# The notify worker (notify/worker.py; README "Notifications").
NOTIFY_POLL_SECONDS = env_float("NOTIFY_POLL_SECONDS", 1)
NOTIFY_GAP_GRACE_SECONDS = env_float("NOTIFY_GAP_GRACE_SECONDS", 5)
NOTIFY_TIMEOUT_SECONDS = env_float("NOTIFY_TIMEOUT_SECONDS", 5)
NOTIFY_RETRY_BASE_SECONDS = env_float("NOTIFY_RETRY_BASE_SECONDS", 30)
NOTIFY_RETRY_MAX_SECONDS = env_float("NOTIFY_RETRY_MAX_SECONDS", 3600)
NOTIFY_PAUSE_AFTER = env_int("NOTIFY_PAUSE_AFTER", 12)
NOTIFY_SWEEP_SECONDS = env_float("NOTIFY_SWEEP_SECONDS", 300)
NOTIFY_DIGEST_HOUR = env_int("NOTIFY_DIGEST_HOUR", 8)
NOTIFY_KEEP_DAYS = env_int("NOTIFY_KEEP_DAYS", 90)

SILENCED_SYSTEM_CHECKS = [
    # Debian 12 ships GDAL 3.6; Django 5.2 warns below 3.9. Everything we use works on 3.6.
    "gis.W001",
    # HSTS preload is a commitment for the whole domain and its subdomains that browsers keep for
    # months: the domain's owner decides it (SECURE_HSTS_PRELOAD=on), not a default.
    "security.W021",
]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}

if not DEBUG:
    SESSION_COOKIE_HTTPONLY = True
    X_FRAME_OPTIONS = "DENY"

# --- Limits -------------------------------------------------------------------------------------
# The largest request body; nginx's client_max_body_size is rendered from the same variable, so
# the proxy and Django refuse the same bodies (413, JSON on /api/).
MAX_BODY_BYTES = env_int("MAX_BODY_BYTES", 10 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = min(MAX_BODY_BYTES, env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 2_621_440))

# Admin (and any form) login lockout: AXES_FAILURE_LIMIT failures from one address for one
# username lock that pair out for AXES_COOLOFF_MINUTES.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_IPWARE_PROXY_COUNT = REST_FRAMEWORK["NUM_PROXIES"] or None
AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
AXES_VERBOSE = False

# --- HTTPS --------------------------------------------------------------------------------------
# HTTPS=on behind a TLS-terminating proxy switches on the safe set at once; each can be set alone.
HTTPS = env_bool("HTTPS", default=False)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=HTTPS)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=HTTPS)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=False)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", default=HTTPS)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", default=HTTPS)
# The proxy says which scheme the client used; trusted only when it is switched on, because a
# client talking to gunicorn directly could send the header itself.
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("SECURE_PROXY_SSL_HEADER", default=HTTPS) else None
)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# --- Content-Security-Policy (django-csp) -------------------------------------------------------
# Scripts only from this site, or inline with the request's nonce (folium's map scripts get it in
# maps.render). Styles may be inline: folium and Leaflet position the map with style attributes.
_tiles = MAP_TILES_URL.split("/")
TILE_ORIGIN = "/".join(_tiles[:3]).replace("{s}.", "*.") if len(_tiles) > 3 else ""
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'", "'unsafe-inline'"],
        # blob: /track/ shows the reporter's photos from bytes it fetched with the token.
        "img-src": ["'self'", "data:", "blob:", *([TILE_ORIGIN] if TILE_ORIGIN else [])],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
PERMISSIONS_POLICY = env_str(
    "PERMISSIONS_POLICY",
    # /find/ asks for the rider's position; nothing asks for anything else.
    "geolocation=(self), camera=(), microphone=(), payment=(), usb=()",
)
