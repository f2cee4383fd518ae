"""gunicorn's configuration, for the images and for a local run alike.

PORT, WEB_CONCURRENCY, FORWARDED_ALLOW_IPS, METRICS_PORT and LOG_FORMAT are
read here, and the settings loaded (so that their errors are one line); any other
gunicorn flag comes through GUNICORN_CMD_ARGS (`--threads 8`, `--timeout 60`,
`--log-level debug`), which gunicorn applies on top of this file.
"""

import gc
import logging
import os
import sys

import django
from django.core.exceptions import ImproperlyConfigured

from stack import client_address, metrics_exporter
from stack.env import env_choice, env_int, env_str
from stack.log import ACCESS_FORMAT, DEFAULT_FORMAT, FORMATS, stdout_logging

# The workers' heartbeat files: on a RAM disk, never on the image's (possibly
# read-only) filesystem. Where there is no /dev/shm (macOS), gunicorn's default.
RAM_DISK = "/dev/shm"  # noqa: S108 (a RAM disk, not a shared temp file)
if os.path.isdir(RAM_DISK):
    worker_tmp_dir = RAM_DISK

# The app is imported once, in the master, before the workers are forked:
# they start with it loaded and share its memory with the master.
preload_app = True

# A malformed value stops gunicorn with one line naming it, not a traceback
# (SystemExit passes through gunicorn's config loader). The settings are read
# here for that reason: preloading would report their errors with one.
try:
    # 0.0.0.0: inside a container, loopback would be unreachable from outside.
    bind = f"0.0.0.0:{env_int('PORT', 8000, minimum=1)}"
    workers = env_int("WEB_CONCURRENCY", 2, minimum=1)
    # Trust X-Forwarded-* only from these proxy addresses.
    forwarded_allow_ips = env_str("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
    # Observability (stack/metrics_exporter.py, stack/log.py): unset
    # METRICS_PORT serves no metrics.
    metrics_port = env_int("METRICS_PORT", None, minimum=1)
    log_format = env_choice("LOG_FORMAT", DEFAULT_FORMAT, FORMATS)
    if metrics_port == int(bind.rsplit(":", 1)[1]):
        sys.exit("Configuration error: METRICS_PORT must differ from PORT.")
    if metrics_port is not None:
        # Before the app imports prometheus_client: the workers' files go
        # in a directory of this master's, on the RAM disk.
        metrics_exporter.prepare(RAM_DISK if os.path.isdir(RAM_DISK) else None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stack.settings")
    django.setup()
    from django.conf import settings

    # The project's own WSGI application, as its settings name it.
    if not settings.WSGI_APPLICATION:
        raise ImproperlyConfigured("the project's settings name no WSGI_APPLICATION.")
    _module, _, _callable = settings.WSGI_APPLICATION.rpartition(".")
    wsgi_app = f"{_module}:{_callable}"
except ImproperlyConfigured as error:
    sys.exit(f"Configuration error: {error}")

# The scheme comes from X-Forwarded-Proto alone, which the proxy in front
# sets. gunicorn's default also honours X-Forwarded-Ssl and
# X-Forwarded-Protocol: a client that sends one of those through a proxy
# that passes it on gets 400 "Contradictory scheme headers".
secure_scheme_headers = {"X-FORWARDED-PROTO": "https"}

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
    however many replicas start (stack/migrate.py)."""
    from stack import migrate

    log = logging.getLogger("gunicorn.error")
    if not os.path.ismount(settings.DATA_DIR):
        log.warning(
            "The data directory %s is not a mounted volume: in a container, the "
            "database and the generated secret key are lost with the container. "
            "Mount a volume there to keep them.",
            settings.DATA_DIR,
        )
    migrate.at_start(log)


def when_ready(server):
    """Just before the workers are forked: the metrics exporter's thread, then
    gc.freeze() the preloaded app, so that the collector never touches its
    objects and the workers keep sharing their pages with the master instead
    of copying them."""
    if metrics_port is not None:
        metrics_exporter.serve(server, metrics_port)
    gc.collect()
    gc.freeze()


# --- Observability --------------------------------------------------------
# Metrics: the exporter in the master (stack/metrics_exporter.py); the
# client's address from the proxies gunicorn trusts (stack/client_address.py).


def post_fork(server, worker):
    client_address.trust(
        worker.cfg.forwarded_allow_ips, worker.cfg.forwarded_allow_networks()
    )


def child_exit(server, worker):
    if metrics_port is not None:
        metrics_exporter.worker_exited(worker.pid)


def on_exit(server):
    metrics_exporter.remove()
