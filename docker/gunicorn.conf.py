"""gunicorn's configuration, for the images and for a local run alike.

PORT, WEB_CONCURRENCY and FORWARDED_ALLOW_IPS are read here; any other
gunicorn flag comes through GUNICORN_CMD_ARGS (`--threads 8`, `--timeout 60`,
`--log-level debug`), which gunicorn applies on top of this file.
"""

import logging
import os
import sys

from django.core.exceptions import ImproperlyConfigured

from project import client_address, metrics_exporter
from project.env import env_choice, env_int, env_str
from project.log import ACCESS_FORMAT, DEFAULT_FORMAT, FORMATS, stdout_logging

wsgi_app = "project.wsgi:application"

# A malformed value stops gunicorn with one line naming it, not a traceback
# (SystemExit passes through gunicorn's config loader).
try:
    # 0.0.0.0: inside a container, loopback would be unreachable from outside.
    bind = f"0.0.0.0:{env_int('PORT', 8000, minimum=1)}"
    workers = env_int("WEB_CONCURRENCY", 2, minimum=1)
    # Trust X-Forwarded-* only from these proxy addresses.
    forwarded_allow_ips = env_str("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
    # Observability (project/metrics_exporter.py, project/log.py): unset
    # METRICS_PORT serves no metrics.
    metrics_port = env_int("METRICS_PORT", None, minimum=1)
    log_format = env_choice("LOG_FORMAT", DEFAULT_FORMAT, FORMATS)
except ImproperlyConfigured as error:
    sys.exit(f"Configuration error: {error}")

# A slow client holds one thread, not the whole worker; four leave room
# beside the slow clients the reliability suite sends (DOCKER.md).
worker_class = "gthread"
threads = 4
# Well inside compose's stop_grace_period, so that in-flight requests finish
# before the engine sends SIGKILL.
graceful_timeout = 20
# Long enough for a browser's follow-up requests (the page's CSS, script and
# icon) to reuse its connection.
keepalive = 5

# The workers' heartbeat files: on a RAM disk, never on the image's (possibly
# read-only) filesystem. Where there is no /dev/shm (macOS), gunicorn's default.
WORKER_TMP_DIR = "/dev/shm"  # noqa: S108 (a RAM disk, not a shared temp file)
if os.path.isdir(WORKER_TMP_DIR):
    worker_tmp_dir = WORKER_TMP_DIR

# gunicorn ≥ 25 opens a control socket under $HOME by default; nothing here
# uses it, and the images' filesystem is read-only.
control_socket_disable = True

# Access and error logs to stdout, in the same one-line format as Django's;
# their levels stay gunicorn's own (--log-level).
accesslog = "-"
access_log_format = ACCESS_FORMAT
logconfig_dict = stdout_logging(
    "INFO", ["gunicorn.error", "gunicorn.access"], log_format
)


def on_starting(server):
    """Migrate before the port opens, in the master, on every start: once
    however many replicas start, and quickly when nothing is pending
    (project/migrate.py)."""
    import django
    from django.conf import settings

    from project import migrate, secret_key

    log = logging.getLogger("gunicorn.error")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")
    try:
        secret_key.generate_if_missing()
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
    """Before the workers are forked: import the application, so that each
    worker finds it loaded instead of importing it again (the URLconf and the
    admin, whitenoise's index of the static files, the page's compiled
    templates, the static files' manifest), then gc.freeze() it all, so that
    the collector never touches those objects and the workers keep sharing
    their pages with the master instead of copying them."""
    import gc

    if metrics_port is not None:
        metrics_exporter.serve(server, metrics_port)

    from django.contrib.staticfiles.storage import staticfiles_storage
    from django.template.loader import get_template
    from django.urls import get_resolver

    import project.wsgi  # noqa: F401 (the module gunicorn's workers import)

    get_resolver().url_patterns  # noqa: B018 (imports every urls module)
    for name in ("clock/index.html", "clock/base.html"):
        get_template(name)
    staticfiles_storage.url("clock/clock.js")
    gc.collect()
    gc.freeze()


# --- Observability --------------------------------------------------------
# Metrics: the workers' files on the RAM disk, the exporter in the master
# (project/metrics_exporter.py); the client's address from the proxies gunicorn
# trusts (project/client_address.py).
if metrics_port is not None:
    if metrics_port == int(bind.rsplit(":", 1)[1]):
        sys.exit("Configuration error: METRICS_PORT must differ from PORT.")
    metrics_exporter.prepare(WORKER_TMP_DIR if os.path.isdir(WORKER_TMP_DIR) else None)


def post_fork(server, worker):
    client_address.trust(
        worker.cfg.forwarded_allow_ips, worker.cfg.forwarded_allow_networks()
    )


def child_exit(server, worker):
    if metrics_port is not None:
        metrics_exporter.worker_exited(worker.pid)


def on_exit(server):
    metrics_exporter.remove()
