"""/metrics on METRICS_PORT, served by gunicorn's master for all its workers.

prometheus_client's multiprocess mode: each worker writes its counts into
memory-mapped files of its own in one directory, and the master adds up every
file when scraped, those of workers that have since died included, so that a
counter never goes back when a worker is replaced. The directory is new and
empty at each start, on a RAM disk, and removed at exit; a dead worker's
gauges of live processes go with it (child_exit).

Its own port, never the app's: no proxy in front of the app passes it on.
"""

import os
import shutil
import sys
import tempfile

VARIABLE = "PROMETHEUS_MULTIPROC_DIR"
_directory = []


def prepare(parent=None):
    """Before anything imports prometheus_client: the workers' directory, made
    once per master (a reload of gunicorn's configuration keeps it)."""
    if not _directory:
        _directory.append(tempfile.mkdtemp(prefix="metrics-", dir=parent))
        os.environ[VARIABLE] = _directory[0]


def serve(server, port):
    """The exporter's thread in the master, before the workers are forked."""
    from prometheus_client import CollectorRegistry, start_http_server
    from prometheus_client.multiprocess import MultiProcessCollector

    registry = CollectorRegistry()
    MultiProcessCollector(registry)
    registry.register(WorkersCollector(server))
    try:
        start_http_server(port, registry=registry)
    except OSError as error:
        server.log.critical("Cannot serve metrics on port %s: %s", port, error)
        sys.exit(1)


def worker_exited(pid):
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(pid)


def remove():
    if _directory:
        shutil.rmtree(_directory[0], ignore_errors=True)


class WorkersCollector:
    """gunicorn's workers and threads as the master counts them; busy threads
    are django_http_requests_in_progress."""

    def __init__(self, server):
        self.server = server

    def collect(self):
        from prometheus_client.core import GaugeMetricFamily

        workers = len(self.server.WORKERS)
        yield GaugeMetricFamily(
            "gunicorn_workers", "gunicorn's live worker processes.", value=workers
        )
        yield GaugeMetricFamily(
            "gunicorn_threads",
            "Requests the live workers can serve at once (workers x threads).",
            value=workers * self.server.cfg.threads,
        )
