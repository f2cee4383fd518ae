"""Database migrations, applied once however many replicas start at once.

gunicorn's master applies them before it opens the port (docker/gunicorn.conf.py);
`python -m project.migrate` applies them as a one-shot command (a Kubernetes
Job, a swarm one-off), exiting 1 if it cannot.

On PostgreSQL, replicas starting together on an empty database take turns
through an advisory lock: the first applies every migration, the others then
find nothing left to do. A restart on a migrated database decides that nothing
is pending from the django_migrations table and the migration files' names,
without importing the migrations and building their graph (the slow part of
`migrate`).
"""

import logging
import os
import pkgutil
import sys
from contextlib import contextmanager
from importlib import import_module

# Any number, the same in every replica: the one advisory lock this app takes.
ADVISORY_LOCK_KEY = 0x6D6F73636F77  # "moscow"


def pending():
    """True unless every migration file on disk is recorded as applied."""
    from django.apps import apps
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader
    from django.db.migrations.recorder import MigrationRecorder

    recorder = MigrationRecorder(connection)
    if not recorder.has_table():
        return True
    applied = recorder.applied_migrations()
    for app_config in apps.get_app_configs():
        module_name, _ = MigrationLoader.migrations_module(app_config.label)
        try:
            path = import_module(module_name).__path__
        except (TypeError, ModuleNotFoundError, AttributeError):
            continue  # an app without migrations, as MigrationLoader sees it
        # The names MigrationLoader would load, without importing them.
        for _, name, is_package in pkgutil.iter_modules(path):
            if is_package or name.startswith(("_", "~")):
                continue
            if (app_config.label, name) not in applied:
                return True
    return False


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


def at_start(log):
    """gunicorn's on_starting. A database that cannot be migrated (unreachable,
    a read-only or full volume) is logged, not fatal: the server starts, and
    /readyz answers 503 with the reason, applying the migrations itself once
    the database takes them."""
    from django.db import DatabaseError, connections

    try:
        applied = apply()
        log.info("Database migrations %s.", "applied" if applied else "up to date")
    except DatabaseError as error:
        log.error("Migrations could not be applied, /readyz says why: %s", error)
    finally:
        # Workers are forked from this process: they must not share its connection.
        connections.close_all()


def main():
    import django
    from django.core.exceptions import ImproperlyConfigured
    from django.db import DatabaseError

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")
    try:
        django.setup()
    except ImproperlyConfigured as error:
        sys.exit(f"Configuration error: {error}")
    log = logging.getLogger("project.migrate")
    try:
        applied = apply()
    except DatabaseError as error:
        sys.exit(f"Migrations could not be applied: {error}")
    log.info("Database migrations %s.", "applied" if applied else "up to date")


if __name__ == "__main__":
    main()
