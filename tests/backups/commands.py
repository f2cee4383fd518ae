"""manage.py run as an operator runs it, in a process of its own, on a data
directory of the test's: its real standard input and output, its exit status."""

import sqlite3
import subprocess
import sys
from contextlib import closing

from containers import ROOT
from tests import serving

DATABASE = "db.sqlite3"


def manage(data_dir, *args, input=None, env=None):
    """`python manage.py ARGS` on `data_dir`; bytes in, bytes out."""
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=serving.server_environment(data_dir, env),
        input=input,
        capture_output=True,
        timeout=120,
        check=False,
    )


def migrated(data_dir):
    result = manage(data_dir, "migrate", "--verbosity=0")
    assert result.returncode == 0, result.stderr
    return data_dir


def query(path, sql, *params):
    with closing(sqlite3.connect(path)) as database:
        return database.execute(sql, params).fetchall()


def count(path):
    """The visit count stored in a SQLite file."""
    return query(path, "SELECT count FROM clock_visitcounter")[0][0]


def set_count(data_dir, value):
    with closing(sqlite3.connect(data_dir / DATABASE)) as database:
        database.execute("UPDATE clock_visitcounter SET count = ?", (value,))
        database.commit()
