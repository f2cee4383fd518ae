"""Django settings: the one place that reads the environment.

Every variable is listed, with its default, in DOCKER.md's table. Defaults are
safe for production (debug off, secure cookies where HTTPS is declared); a
missing or malformed value stops start-up with one line naming the variable.
"""

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from project import database, secret_key
from project.env import (
    env_bool,
    env_choice,
    env_int,
    env_list,
    env_path,
    env_str,
)
from project.log import DEFAULT_FORMAT, FORMATS, LEVELS, stdout_logging

BASE_DIR = Path(__file__).resolve().parent.parent

# The SQLite database and the generated secret key live here; the images set
# /data, a volume. The local default sits inside the checkout, ignored by git.
DATA_DIR = env_path("DJANGO_DATA_DIR", BASE_DIR / "data")

DEBUG = env_bool("DJANGO_DEBUG", False)

# Given, or else generated once into the data directory (project.secret_key).
if (_key := env_str("DJANGO_SECRET_KEY", None)) is not None:
    SECRET_KEY = _key
elif (_key_file := env_str("DJANGO_SECRET_KEY_FILE", None)) is not None:
    SECRET_KEY = secret_key.read_key_file(_key_file, "DJANGO_SECRET_KEY_FILE")
else:
    SECRET_KEY = secret_key.generated(DATA_DIR)

# While a new key rolls out, the keys it replaces, one per line, in a file (a
# secret): what they signed (sessions, password-reset links) is still
# accepted, and nothing new is signed with them (DOCKER.md, "Operations").
if (_fallbacks := env_str("DJANGO_SECRET_KEY_FALLBACKS_FILE", None)) is not None:
    SECRET_KEY_FALLBACKS = secret_key.read_key_file(
        _fallbacks, "DJANGO_SECRET_KEY_FALLBACKS_FILE"
    ).split()


def _host_problem(host):
    if "://" in host or "/" in host:
        return "is a URL: give the host name alone"
    return None


def _origin_problem(origin):
    if not origin.startswith(("http://", "https://")):
        return "needs its scheme, as in https://example.com"
    return None


ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"], validate=_host_problem
)
CSRF_TRUSTED_ORIGINS = env_list(
    "DJANGO_CSRF_TRUSTED_ORIGINS", [], validate=_origin_problem
)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "apps.backups",
    "apps.clock",
    "apps.health",
]

MIDDLEWARE = [
    # Observability first, so that it sees every request and every answer:
    # metrics, then the client's address and the request's ID, which the log
    # lines below carry (DOCKER.md, "Observability").
    "project.metrics.MetricsMiddleware",
    "project.client_address.ClientAddressMiddleware",
    "project.request_id.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Right after SecurityMiddleware, as whitenoise documents: static files are
    # answered before anything else looks at the request.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Above the probes, so that their answers carry these headers too.
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Before CommonMiddleware validates the Host header: probes reach the
    # container by its address, whatever DJANGO_ALLOWED_HOSTS names.
    "apps.health.middleware.HealthProbeMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]

ROOT_URLCONF = "project.urls"
WSGI_APPLICATION = "project.wsgi.application"

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
            ],
        },
    },
]

# SQLite in the data directory unless DATABASE_URL names a PostgreSQL server,
# which several replicas can share (DOCKER.md, "Scaling out").
if (_database_url := env_str("DATABASE_URL", None)) is not None:
    DATABASES = {
        "default": {
            **database.postgresql(
                _database_url, env_str("DATABASE_PASSWORD_FILE", None)
            ),
            # One connection per gunicorn thread, kept across requests (a new
            # one costs a password exchange), and checked before a request
            # uses it again, so that one broken while the server was away is
            # replaced instead of failing. Not Django's pool: each thread
            # holds a connection for its whole request anyway, so a pool
            # would keep as many (DOCKER.md).
            "CONN_MAX_AGE": 600,
            "CONN_HEALTH_CHECKS": True,
        }
    }
elif env_str("DATABASE_PASSWORD_FILE", None) is not None:
    raise ImproperlyConfigured(
        "DATABASE_PASSWORD_FILE is set but DATABASE_URL is not: "
        "the password would not be used."
    )
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "db.sqlite3",
            # Several gunicorn workers write the visit counter at once. WAL
            # lets readers run beside the writer; IMMEDIATE takes the write
            # lock when a transaction begins, so a writer waits (up to the
            # timeout, in seconds) instead of failing with "database is
            # locked" half-way through.
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "timeout": 20,
                "transaction_mode": "IMMEDIATE",
            },
            "CONN_MAX_AGE": 600,
            "CONN_HEALTH_CHECKS": True,
        }
    }

# How long a start waits for a database server that does not answer yet
# (project.migrate): one started beside the app answers within seconds. A
# SQLite file is never waited for.
DATABASE_WAIT_SECONDS = env_int("DATABASE_WAIT_SECONDS", 60)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# `manage.py test` runs the pytest suite (pytest-django), same as `pytest`.
TEST_RUNNER = "project.test_runner.PytestRunner"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"django.contrib.auth.password_validation.{name}"}
    for name in (
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    )
]

LANGUAGE_CODE = "en-us"
# Stored and computed in UTC; apps.clock converts to Moscow only for display.
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # whitenoise's compressed files with content-hashed names, which browsers
    # may cache forever; each URL worked out once (project/static_urls.py).
    "staticfiles": {"BACKEND": "project.static_urls.UrlsOnceManifestStorage"},
}
# Templates only ever link hashed names; the unhashed copies would be dead
# weight in the image.
WHITENOISE_KEEP_ONLY_HASHED_FILES = True

# --- Security -------------------------------------------------------------

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Nothing inline: scripts and styles come only from our own static files.
SECURE_CSP = {
    "default-src": [CSP.NONE],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
}

# DJANGO_HTTPS declares that users reach the site over TLS (directly or
# through a proxy): redirect plain HTTP, mark cookies secure, send HSTS.
HTTPS = env_bool("DJANGO_HTTPS", False)
SECURE_SSL_REDIRECT = HTTPS
# Probes speak plain HTTP to the container itself.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31_536_000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", False)
# Only behind a proxy that sets X-Forwarded-Proto itself: otherwise any client
# could claim to be on HTTPS.
if env_bool("DJANGO_TRUST_X_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- Logging --------------------------------------------------------------

LOG_LEVEL = env_choice("DJANGO_LOG_LEVEL", "INFO", LEVELS)
# Django's own "django" logger keeps no handler of its own, so that each event
# is written once, by the root logger.
LOG_FORMAT = env_choice("LOG_FORMAT", DEFAULT_FORMAT, FORMATS)
LOGGING = stdout_logging(LOG_LEVEL, log_format=LOG_FORMAT)
LOGGING["loggers"]["django"] = {"handlers": [], "level": LOG_LEVEL}
# A request with a Host header we do not serve is the client's error: a
# warning on one line, never an error event in Sentry.
LOGGING["filters"]["client_error"] = {"()": "project.log.ClientError"}
LOGGING["loggers"]["django.security.DisallowedHost"] = {
    "handlers": [],
    "filters": ["client_error"],
}

# --- Error tracking -------------------------------------------------------

# Errors to Sentry when a DSN is given; without one, sentry_sdk is never
# imported (project/sentry.py).
if (_sentry_dsn := env_str("SENTRY_DSN", None)) is not None:
    from project import sentry

    sentry.start(_sentry_dsn)
