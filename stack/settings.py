"""The settings the containers run with: the project's own settings module,
and on top of it what the environment sets (DOCKER.md's "Environment" table).

The images set DJANGO_SETTINGS_MODULE to this module; the project's module is
DJANGO_PROJECT_SETTINGS in stack.env. As a split-settings production.py
builds on its base.py, whatever the project sets is kept, except what a
deployment decides and a checkout cannot: the secret key, debug, the hosts,
the database, HTTPS, logging and error tracking. Defaults are safe for
production; a missing or malformed value stops start-up with one line naming
the variable.
"""

from importlib import import_module
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from stack import database, facts, preflight, secret_key
from stack.env import env_bool, env_choice, env_int, env_list, env_path, env_str
from stack.log import DEFAULT_FORMAT, FORMATS, LEVELS, stdout_logging

# First, since the project's settings may import what is checked: a package
# missing or too old is one line naming the fix (stack/preflight.py).
preflight.check()

_PROJECT_MODULE = facts.project_settings()
try:
    _project = import_module(_PROJECT_MODULE)
except ImportError as error:
    raise ImproperlyConfigured(
        f"DJANGO_PROJECT_SETTINGS={_PROJECT_MODULE!r} cannot be imported: {error}"
    ) from None
# What `from <module> import *` would bring, restricted to settings the way
# Django reads a settings module.
_base = {name: getattr(_project, name) for name in dir(_project) if name.isupper()}
globals().update(_base)
# Django's own default when the project sets none.
preflight.check_time_zone(_base.get("TIME_ZONE", "America/Chicago"))

# The project's root, where manage.py and this package sit.
_ROOT = Path(__file__).resolve().parent.parent

# The SQLite database and the generated secret key live here; the images set
# /data, a volume. The local default sits inside the checkout.
DATA_DIR = env_path("DJANGO_DATA_DIR", _ROOT / "data")

DEBUG = env_bool("DJANGO_DEBUG", False)

# Given, or else generated once into the data directory (stack.secret_key);
# never the key a checkout holds, which every copy of it shares.
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

_STACK_APPS = ["stack.backups", "stack.health"]
INSTALLED_APPS = [
    *(app for app in _base.get("INSTALLED_APPS", []) if app not in _STACK_APPS),
    *_STACK_APPS,
]

_SECURITY = "django.middleware.security.SecurityMiddleware"
_WHITENOISE = "whitenoise.middleware.WhiteNoiseMiddleware"
_PROBES = "stack.health.middleware.HealthProbeMiddleware"
# Observability first, so that it sees every request and every answer:
# metrics, then the client's address and the request's ID, which the log
# lines carry (DOCKER.md, "Observability").
_FIRST = [
    "stack.metrics.MetricsMiddleware",
    "stack.client_address.ClientAddressMiddleware",
    "stack.request_id.RequestIdMiddleware",
]


def _middleware(project):
    stack = [*_FIRST, _WHITENOISE, _PROBES]
    chain = [name for name in project if name not in stack]
    # Right after SecurityMiddleware, as whitenoise documents: static files
    # are answered before anything else looks at the request.
    chain.insert(chain.index(_SECURITY) + 1 if _SECURITY in chain else 0, _WHITENOISE)
    # Before CommonMiddleware validates the Host header: probes reach the
    # container by its address, whatever DJANGO_ALLOWED_HOSTS names.
    common = "django.middleware.common.CommonMiddleware"
    chain.insert(chain.index(common) if common in chain else len(chain), _PROBES)
    return [*_FIRST, *chain]


MIDDLEWARE = _middleware(_base.get("MIDDLEWARE", []))

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
            # Several gunicorn workers write at once. WAL lets readers run
            # beside the writer; IMMEDIATE takes the write lock when a
            # transaction begins, so a writer waits (up to the timeout, in
            # seconds) instead of failing with "database is locked" half-way
            # through.
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
# (stack.migrate): one started beside the app answers within seconds. A
# SQLite file is never waited for.
DATABASE_WAIT_SECONDS = env_int("DATABASE_WAIT_SECONDS", 60)

# Collected into the image when it is built, wherever the project collects
# its own: the image's layout is the stack's.
STATIC_URL = _base.get("STATIC_URL") or "static/"
STATIC_ROOT = _ROOT / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    **_base.get("STORAGES", {}),
    # whitenoise's compressed files with content-hashed names, which browsers
    # may cache forever; each URL worked out once (stack/static_urls.py).
    "staticfiles": {"BACKEND": "stack.static_urls.UrlsOnceManifestStorage"},
}
# Templates only ever link hashed names; the unhashed copies would be dead
# weight in the image.
WHITENOISE_KEEP_ONLY_HASHED_FILES = True

# Uploads land in the data directory, a volume: never in the read-only image,
# kept across restarts and a switch of image. A project whose default storage
# is elsewhere (S3, say) keeps its own.
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = _base.get("MEDIA_URL") or "media/"

# --- Security -------------------------------------------------------------

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
LOGGING["filters"]["client_error"] = {"()": "stack.log.ClientError"}
LOGGING["loggers"]["django.security.DisallowedHost"] = {
    "handlers": [],
    "filters": ["client_error"],
}

# --- Error tracking -------------------------------------------------------

# Errors to Sentry when a DSN is given; without one, sentry_sdk is never
# imported (stack/sentry.py).
if (_sentry_dsn := env_str("SENTRY_DSN", None)) is not None:
    from stack import sentry

    sentry.start(_sentry_dsn)
