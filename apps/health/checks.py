"""What readiness means: the data volume takes writes, and the database
answers and holds every migration."""

import shutil
import tempfile

from django.conf import settings
from django.db import DatabaseError, connection

from project import migrate

# Below this, readiness fails before SQLite does: room for the write-ahead log
# to grow by a few hundred page views.
MIN_FREE_BYTES = 1024 * 1024


def problem():
    """None when the app is ready to serve, else a short reason."""
    return data_directory_problem(settings.DATA_DIR) or database_problem()


def data_directory_problem(data_dir):
    """None when `data_dir` has room and takes a write, else a short reason.

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
    """None when the database is ready to serve, else a short reason.

    A PostgreSQL server may come up after the app, or come back empty: the
    migrations start-up could not apply are applied here, once (the advisory
    lock), so that the app serves without a restart. SQLite is a file on the
    volume, migrated at start or broken until the volume is fixed.
    """
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        if migrate.pending():
            if connection.vendor != "postgresql":
                return "migrations not applied"
            migrate.apply()
    except DatabaseError as error:
        # A broken connection must not stay cached for the next probe.
        connection.close()
        return f"database unavailable: {error}"
    return None
