"""What readiness means: the data volume takes writes, and the database
answers and holds every migration.

A probe's public answer is one word (`data-dir`, `database`, `migrations`);
what went wrong, which may name hosts, users or paths, goes to the log, once
each time readiness changes rather than once per probe.
"""

import logging
import shutil
import tempfile
import threading

from django.conf import settings
from django.db import DatabaseError, connection

from stack import migrate

# Below this, readiness fails before SQLite does: room for the write-ahead log
# to grow by a few hundred page views.
MIN_FREE_BYTES = 1024 * 1024

log = logging.getLogger(__name__)


def data_directory_problem(data_dir):
    """None when `data_dir` has room and takes a write, else what is wrong.

    A full or read-only volume still lets the database be read, so only a
    write shows it. The probe is an unnamed temporary file (O_TMPFILE on
    Linux): it leaves nothing behind, even if the process dies mid-probe.
    """
    try:
        free = shutil.disk_usage(data_dir).free
        if free < MIN_FREE_BYTES:
            return (
                f"data volume full: {free} bytes free in {data_dir}, "
                f"{MIN_FREE_BYTES} needed"
            )
        with tempfile.TemporaryFile(dir=data_dir) as probe:
            probe.write(b"ready")
            probe.flush()
    except OSError as error:
        return f"data directory {data_dir} cannot be written: {error.strerror}"
    return None


def database_problem():
    """None when the database answers and holds every migration, else
    (reason, what is wrong). Migrations are applied before the app serves
    (stack.migrate), never here: a probe changes nothing."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        if migrate.pending():
            return "migrations", "migrations on disk are not applied to the database"
    except DatabaseError as error:
        # A broken connection must not stay cached for the next probe.
        connection.close()
        return "database", f"database unavailable: {migrate.one_line(error)}"
    return None


class Transitions:
    """Logs readiness when it changes: the first failure, each different one,
    and the recovery, never the same state twice in a row."""

    def __init__(self):
        self.last = None
        self.lock = threading.Lock()

    def record(self, detail):
        with self.lock:
            if detail == self.last:
                return
            self.last = detail
        if detail is None:
            log.info("Ready again.")
        else:
            log.warning("Not ready: %s", detail)


transitions = Transitions()


def not_ready():
    """None when the app is ready to serve, else the reason's one word."""
    if detail := data_directory_problem(settings.DATA_DIR):
        reason = "data-dir"
    else:
        reason, detail = database_problem() or (None, None)
    transitions.record(detail)
    return reason
