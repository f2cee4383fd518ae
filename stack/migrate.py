"""Database migrations, applied before the app serves, once however many
replicas start at once.

gunicorn's master applies them before it opens its port
(docker/gunicorn.conf.py); `python -m stack.migrate` does the same as a
one-shot command (a Kubernetes Job, a swarm one-off) and exits 1 if it cannot.
No request handler applies them: /readyz only reports them missing.

A database server that does not answer yet (started beside the app, or its
database still being created) is waited for, a bounded while, with a log line
per try. On PostgreSQL, replicas starting together take turns through an
advisory lock: the first applies the migrations, the others then find nothing
left to do.
"""

import logging
import os
import sys
import time
from contextlib import contextmanager

# Any number, the same in every replica and every version (a rolling upgrade
# runs two side by side): the one advisory lock the stack takes.
ADVISORY_LOCK_KEY = 0x6D6F73636F77
RETRY_SECONDS = 2


def pending():
    """True while a migration on disk is not applied, by Django's own rules."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    return bool(executor.migration_plan(executor.loader.graph.leaf_nodes()))


@contextmanager
def exclusive():
    """One migrating process at a time on PostgreSQL; the lock is the
    connection's, so a process that dies mid-way releases it."""
    from django.db import connection

    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [ADVISORY_LOCK_KEY])
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [ADVISORY_LOCK_KEY])


def apply():
    """Apply the pending migrations, if any; True if this process did."""
    from django.core.management import call_command

    if not pending():
        return False
    with exclusive():
        # Whoever held the lock before may have applied them all.
        if not pending():
            return False
        call_command("migrate", interactive=False, verbosity=0)
    return True


def one_line(error):
    """A database error's message on one line (libpq adds DETAIL and HINT lines)."""
    return " ".join(line.strip() for line in str(error).splitlines() if line.strip())


def wait_for_server(log):
    """Connect to a database server, retrying while it does not answer. A
    SQLite file is opened at once or not at all: it is never waited for."""
    from django.conf import settings
    from django.db import OperationalError, connection

    if not connection.settings_dict["HOST"]:
        return
    deadline = time.monotonic() + settings.DATABASE_WAIT_SECONDS
    while True:
        try:
            connection.ensure_connection()
            return
        except OperationalError as error:
            if time.monotonic() + RETRY_SECONDS > deadline:
                raise
            log.warning(
                "The database does not answer yet; trying again in %d s: %s",
                RETRY_SECONDS,
                one_line(error),
            )
            time.sleep(RETRY_SECONDS)


def at_start(log):
    """gunicorn's on_starting: wait for the database, then apply what is
    pending. A server that never answered stops the start (exit 1, and the
    orchestrator tries again later); any other database error (a full or
    read-only volume) is logged and left to /readyz, so the app still serves
    what it can."""
    from django.conf import settings
    from django.db import DatabaseError, OperationalError, connections

    try:
        try:
            wait_for_server(log)
        except OperationalError as error:
            log.critical(
                "The database did not answer within %d s: %s",
                settings.DATABASE_WAIT_SECONDS,
                one_line(error),
            )
            sys.exit(1)
        try:
            applied = apply()
        except DatabaseError as error:
            log.error("Migrations could not be applied: %s", one_line(error))
            return
    finally:
        # gunicorn forks its workers from this process: they must not share
        # its connection.
        connections.close_all()
    log.info("Database migrations %s.", "applied" if applied else "up to date")


def main():
    import django
    from django.core.exceptions import ImproperlyConfigured
    from django.db import DatabaseError

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stack.settings")
    try:
        django.setup()
    except ImproperlyConfigured as error:
        sys.exit(f"Configuration error: {error}")
    log = logging.getLogger("stack.migrate")
    try:
        wait_for_server(log)
        applied = apply()
    except DatabaseError as error:
        sys.exit(f"Migrations could not be applied: {one_line(error)}")
    log.info("Database migrations %s.", "applied" if applied else "up to date")


if __name__ == "__main__":
    main()
