"""gunicorn's configuration, for the images and for a local run alike.

Each value can be overridden from the environment: the variables below, or any
gunicorn flag through GUNICORN_CMD_ARGS, which gunicorn applies on top.
"""

import logging
import os
import sys

from django.core.exceptions import ImproperlyConfigured

from project.env import env_choice, env_int, env_str
from project.log import LEVELS, stdout_logging

wsgi_app = "project.wsgi:application"

# A malformed value stops gunicorn with one line naming it, not a traceback
# (SystemExit passes through gunicorn's config loader).
try:
    # 0.0.0.0: inside a container, loopback would be unreachable from outside.
    bind = f"0.0.0.0:{env_int('PORT', 8000, minimum=1)}"

    workers = env_int("WEB_CONCURRENCY", 2, minimum=1)
    worker_class = env_choice(
        "GUNICORN_WORKER_CLASS", "GTHREAD", {"SYNC", "GTHREAD"}
    ).lower()
    threads = env_int("GUNICORN_THREADS", 4, minimum=1)
    timeout = env_int("GUNICORN_TIMEOUT", 30, minimum=1)
    # Well inside compose's stop_grace_period, so that in-flight requests finish
    # before the engine sends SIGKILL.
    graceful_timeout = env_int("GUNICORN_GRACEFUL_TIMEOUT", 20, minimum=1)
    keepalive = env_int("GUNICORN_KEEPALIVE", 5, minimum=0)
    # Trust X-Forwarded-* only from these proxy addresses.
    forwarded_allow_ips = env_str("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
    loglevel = env_choice("GUNICORN_LOG_LEVEL", "INFO", LEVELS)
except ImproperlyConfigured as error:
    sys.exit(f"Configuration error: {error}")

# The workers' heartbeat files: on a RAM disk, never on the image's (possibly
# read-only) filesystem. Where there is no /dev/shm (macOS), gunicorn's default.
WORKER_TMP_DIR = "/dev/shm"  # noqa: S108 (a RAM disk, not a shared temp file)
if os.path.isdir(WORKER_TMP_DIR):
    worker_tmp_dir = WORKER_TMP_DIR

# gunicorn ≥ 25 opens a control socket under $HOME by default; nothing here
# uses it, and the images' filesystem is read-only.
control_socket_disable = True

# Access and error logs to stdout, in the same one-line format as Django's.
accesslog = "-"
logconfig_dict = stdout_logging(loglevel, ["gunicorn.error", "gunicorn.access"])


def on_starting(server):
    """Migrate before the port opens, in the master, on every start: once
    however many replicas start, and quickly when nothing is pending
    (project/migrate.py)."""
    import django
    from django.conf import settings

    from project import migrate

    log = logging.getLogger("gunicorn.error")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")
    try:
        django.setup()
    except ImproperlyConfigured as error:
        # One line naming the variable, not a traceback.
        log.critical("Configuration error: %s", error)
        sys.exit(1)
    if not os.path.ismount(settings.DATA_DIR):
        log.warning(
            "The data directory %s is not a mounted volume: in a container, the "
            "database and the generated secret key are lost with the container. "
            "Mount a volume there to keep them.",
            settings.DATA_DIR,
        )
    migrate.at_start(log)


def when_ready(server):
    """Before the workers are forked: load what each would load on its first
    request (the URLconf, the admin with it), then gc.freeze() it all, so that
    the collector never touches those objects and the workers keep sharing
    their pages with the master instead of copying them (`make bench`: 105 MB
    after load without this, 81 MB with it)."""
    import gc

    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (imports every urls module)
    gc.collect()
    gc.freeze()
