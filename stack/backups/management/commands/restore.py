"""`manage.py restore PATH|-`: a backup of the SQLite database put back.

The backup is copied into the data directory first and checked there
(`PRAGMA integrity_check`, the migration table, no migration newer than this
release); only then does it replace the database, in one transaction, while
the app serves. A file that fails a check is refused with one line, and the
database stays as it was. Migrations the backup predates are applied after.
"""

import shutil
import sqlite3
import sys
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from stack.backups import sqlite

STDIN = "-"


class Command(BaseCommand):
    help = "Replace the SQLite database with a backup, once it is verified."

    def add_arguments(self, parser):
        parser.add_argument("source", help="The backup file, or - for standard input.")

    def handle(self, *args, source, **options):
        if connection.vendor != "sqlite":
            raise CommandError(
                f"The database is {connection.display_name}: restore it with "
                'pg_restore (DOCKER.md, "Backups and restore").'
            )
        shown = "standard input" if source == STDIN else source
        with tempfile.TemporaryDirectory(dir=settings.DATA_DIR) as directory:
            copy = Path(directory) / "restore.sqlite3"
            try:
                self._copy(source, copy)
            except OSError as error:
                raise CommandError(
                    f"{shown} cannot be read: {error.strerror}; nothing was changed."
                ) from None
            try:
                sqlite.verify(copy)
            except sqlite.Refused as refused:
                raise CommandError(f"{shown} {refused}; nothing was changed.") from None
            try:
                sqlite.copy_in(copy, connection)
            except sqlite3.Error as error:
                raise CommandError(
                    f"{shown} could not be written in: {error}; nothing was changed."
                ) from None
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write(f"Restored {shown}.")

    def _copy(self, source, copy):
        with copy.open("wb") as target:
            if source == STDIN:
                shutil.copyfileobj(sys.stdin.buffer, target)
            else:
                with Path(source).open("rb") as file:
                    shutil.copyfileobj(file, target)
