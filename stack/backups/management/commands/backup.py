"""`manage.py backup`: an online copy of the SQLite database.

By default into <data>/backups/, under a name with the time it was taken;
`--output PATH` names the file, `--output -` writes it to standard output
(`docker compose exec -T web python manage.py backup --output - > backup.sqlite3`).
PostgreSQL is backed up by pg_dump (DOCKER.md, "Backups and restore").
"""

import os
import shutil
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from stack.backups import sqlite

STDOUT = "-"


def default_path():
    taken = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    return Path(settings.DATA_DIR) / "backups" / f"db-{taken}.sqlite3"


class Command(BaseCommand):
    help = "Copy the SQLite database while the app serves (see DOCKER.md)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            help="The file to write, or - for standard output "
            "(default: <data>/backups/db-<UTC time>.sqlite3).",
        )

    def handle(self, *args, output=None, **options):
        if connection.vendor != "sqlite":
            raise CommandError(
                f"The database is {connection.display_name}: back it up with "
                'pg_dump (DOCKER.md, "Backups and restore").'
            )
        if output == STDOUT:
            self._to_stdout()
            return
        path = Path(output) if output else default_path()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            # Written beside its final name, then renamed: a failed or
            # interrupted backup never leaves a partial file under that name.
            fd, partial = tempfile.mkstemp(
                dir=path.parent, prefix=f".{path.name}.", suffix=".partial"
            )
            os.close(fd)
        except OSError as error:
            raise CommandError(f"{path} cannot be written: {error.strerror}.") from None
        try:
            sqlite.copy_out(connection, partial)
            os.replace(partial, path)
        finally:
            Path(partial).unlink(missing_ok=True)
        self.stdout.write(f"Backed up to {path} ({path.stat().st_size} bytes).")

    def _to_stdout(self):
        # The copy is made in the data directory, which holds the database
        # already, rather than in a tmpfs that may be too small for it.
        with tempfile.TemporaryDirectory(dir=settings.DATA_DIR) as directory:
            copy = Path(directory) / "backup.sqlite3"
            sqlite.copy_out(connection, copy)
            with copy.open("rb") as file:
                shutil.copyfileobj(file, sys.stdout.buffer)
            sys.stdout.buffer.flush()
