"""Waystation settings, read from the environment (see README "Configuration")."""

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from project.env import env_bool, env_int, env_list, env_secret, env_str

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
    "stations",
    "cases",
    "maps",
    "open311",
    "demo",
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
    "project.middleware.DatabaseUnavailableMiddleware",
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


def _database() -> dict:
    url = env_str("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/waystation")
    try:
        config = dj_database_url.parse(
            url,
            # A new connection costs ~25 ms (PostGIS loads on first use); keep them open.
            conn_max_age=env_int("CONN_MAX_AGE", 600),
            conn_health_checks=True,
        )
    except Exception as exc:  # dj-database-url raises several types for a bad URL
        raise ImproperlyConfigured(f"DATABASE_URL is not a valid database URL: {exc}") from None
    if not config.get("NAME") or "postgres" not in config.get("ENGINE", ""):
        raise ImproperlyConfigured(
            "DATABASE_URL must point at a PostgreSQL database with PostGIS, "
            "e.g. postgres://user:password@host:5432/waystation"
        )
    config["ENGINE"] = "django.contrib.gis.db.backends.postgis"
    options = config.setdefault("OPTIONS", {})
    # JIT kicks in for PostGIS-costed plans and added 150-850 ms to short KNN queries here.
    options.setdefault("options", "-c jit=off")
    options.setdefault("connect_timeout", env_int("DATABASE_CONNECT_TIMEOUT", 5))
    return config


DATABASES = {"default": _database()}
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
STATICFILES_DIRS = [("vendor/leaflet", LEAFLET_DIR)] if LEAFLET_DIR.is_dir() else []
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "project.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.BasicAuthentication",
        # `Authorization: Token KEY`: an API key acting with its union's jurisdiction.
        "open311.authentication.ApiKeyAuthentication",
    ],
    "DEFAULT_THROTTLE_RATES": {
        # GeoReport v2, per API key or per client address (open311.views.KeyedThrottle).
        "open311": "60/minute",
    },
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
    "SWAGGER_UI_DIST": "SIDECAR",
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

SILENCED_SYSTEM_CHECKS = [
    # Debian 12 ships GDAL 3.6; Django 5.2 warns below 3.9. Everything we use works on 3.6.
    "gis.W001",
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
