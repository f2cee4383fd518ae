"""Online copies of the SQLite database, and their verified return.

Both directions go through SQLite's backup API, never a file copy: a copy of
a database in WAL mode taken while gunicorn writes may miss the commits still
in the -wal file, and a file renamed over the live database would be read
together with the old database's -wal file, which SQLite would replay into
it. The backup API copies a consistent snapshot out, and writes a verified
one back in a single transaction that readers and writers simply wait for.
"""

import sqlite3
from contextlib import closing
from pathlib import Path

from django.apps import apps
from django.db.migrations.loader import MigrationLoader

HEADER = b"SQLite format 3\x00"


class Refused(Exception):
    """A file that is not a sound backup of this project; the message says why."""


def copy_out(connection, path):
    """A consistent copy of Django's database `connection` into a new file."""
    connection.ensure_connection()
    with closing(sqlite3.connect(path)) as target:
        connection.connection.backup(target)
        # The copy keeps the live database's WAL mode; in rollback-journal
        # mode it is one self-contained file.
        target.execute("PRAGMA journal_mode=DELETE")


def copy_in(path, connection):
    """Replace everything in Django's database `connection` with `path`'s
    pages, in one transaction: all of it or, on an error, none."""
    connection.ensure_connection()
    with closing(sqlite3.connect(path)) as source:
        source.backup(connection.connection)


def verify(path):
    """Raise Refused unless `path` is an intact SQLite database of this project,
    from this release or an earlier one."""
    with Path(path).open("rb") as file:
        header = file.read(100)
    if not header:
        raise Refused("is empty")
    if not header.startswith(HEADER):
        raise Refused("is not a SQLite database")
    # The header's page count is valid when its two change counters agree.
    page_size = int.from_bytes(header[16:18])
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32])
    counted = header[24:28] == header[92:96]
    if counted and Path(path).stat().st_size < page_size * pages:
        raise Refused("is truncated: shorter than its header says")
    try:
        with closing(sqlite3.connect(path)) as database:
            problems = [row[0] for row in database.execute("PRAGMA integrity_check")]
            if problems != ["ok"]:
                raise Refused(f"fails SQLite's integrity check: {problems[0]}")
            applied = set(database.execute("SELECT app, name FROM django_migrations"))
    except sqlite3.DatabaseError as error:
        if "no such table" in str(error):
            raise Refused(
                "has no migration table: not a Django project's database"
            ) from None
        raise Refused(f"cannot be read: {error}") from None
    loader = MigrationLoader(None, ignore_no_migrations=True)
    own = _own_apps(loader)
    if own and not any(app in own for app, _ in applied):
        names = ", ".join(repr(app) for app in sorted(own))
        raise Refused(f"has no migration of this project's apps ({names}): not its own")
    known = loader.disk_migrations
    labels = {app for app, _ in known}
    if unknown := sorted(row for row in applied - set(known) if row[0] in labels):
        app, name = unknown[0]
        raise Refused(f"comes from a newer release: migration {app}.{name}")


def _own_apps(loader):
    """The labels of the project's own apps with migrations, which mark a
    database as this project's: every Django database has Django's."""
    return {
        label
        for label in loader.migrated_apps
        if not apps.get_app_config(label).name.startswith(("django.", "stack."))
    }
