"""`manage.py restore`: a backup put back, once verified; anything else
refused in one line, with the database left as it was."""

import sqlite3
from contextlib import closing

import pytest

from tests.backups.commands import (
    DATABASE,
    count,
    manage,
    migrated,
    query,
    set_count,
)


@pytest.fixture
def backup(tmp_path):
    """A backup holding 120 visits and a user, taken by the command itself."""
    source = migrated(tmp_path / "source")
    set_count(source, 120)
    created = manage(
        source,
        *("createsuperuser", "--noinput", "--username=keeper", "--email=k@e.org"),
    )
    assert created.returncode == 0, created.stderr
    path = tmp_path / "clock.sqlite3"
    assert manage(source, "backup", "--output", path).returncode == 0
    return path


@pytest.fixture
def live(tmp_path):
    """The data directory being restored into, holding 5 visits."""
    data = migrated(tmp_path / "live")
    set_count(data, 5)
    return data


def users(data_dir):
    return query(data_dir / DATABASE, "SELECT username FROM auth_user")


def test_it_restores_a_backup_exactly(live, backup):
    result = manage(live, "restore", backup)
    assert result.returncode == 0, result.stderr
    assert count(live / DATABASE) == 120
    assert users(live) == [("keeper",)]


def test_it_restores_from_standard_input(live, backup):
    result = manage(live, "restore", "-", input=backup.read_bytes())
    assert result.returncode == 0, result.stderr
    assert count(live / DATABASE) == 120


def test_it_brings_an_older_backup_to_the_current_schema(live, backup):
    # A backup from before the counter's row existed (migration 0002).
    with closing(sqlite3.connect(backup)) as database:
        database.execute(
            "DELETE FROM django_migrations WHERE name = '0002_create_counter'"
        )
        database.execute("DELETE FROM clock_visitcounter")
        database.commit()
    assert manage(live, "restore", backup).returncode == 0
    assert count(live / DATABASE) == 0


def truncated(backup):
    backup.write_bytes(backup.read_bytes()[: backup.stat().st_size // 2])


def empty(backup):
    backup.write_bytes(b"")


def foreign_file(backup):
    backup.write_text("id,visits\n1,120\n")


def another_apps_database(backup):
    backup.unlink()
    with closing(sqlite3.connect(backup)) as database:
        database.execute("CREATE TABLE notes (text)")
        database.commit()


def damaged(backup):
    data = bytearray(backup.read_bytes())
    # Scribble over the pages after the first (the schema), keeping the size.
    data[4096:8192] = b"\xff" * 4096
    backup.write_bytes(bytes(data))


def another_django_projects_database(backup):
    """Django's own tables, but none of this project's apps."""
    with closing(sqlite3.connect(backup)) as database:
        database.execute("DELETE FROM django_migrations WHERE app = 'clock'")
        database.commit()


def from_a_newer_release(backup):
    with closing(sqlite3.connect(backup)) as database:
        database.execute(
            "INSERT INTO django_migrations (app, name, applied) "
            "VALUES ('clock', '9999_from_the_future', '2030-01-01')"
        )
        database.commit()


@pytest.mark.parametrize(
    ("spoil", "reason"),
    [
        (truncated, "is truncated"),
        (empty, "is empty"),
        (foreign_file, "is not a SQLite database"),
        (another_apps_database, "has no migration table"),
        (another_django_projects_database, "no migration of this project's apps"),
        (damaged, ""),
        (from_a_newer_release, "newer release: migration clock.9999"),
    ],
)
def test_it_refuses_a_bad_file_in_one_line_and_changes_nothing(
    live, backup, spoil, reason
):
    spoil(backup)
    before = (live / DATABASE).read_bytes()
    result = manage(live, "restore", backup)
    said = result.stderr.decode()
    assert result.returncode == 1
    assert said.count("\n") == 1, said
    assert reason in said
    assert "nothing was changed" in said
    assert count(live / DATABASE) == 5
    assert users(live) == []
    assert (live / DATABASE).read_bytes() == before
    # No temporary copy is left behind.
    assert sorted(path.name for path in live.iterdir()) == [DATABASE, "secret_key"]


def test_it_says_in_one_line_when_the_file_is_missing(live, tmp_path):
    result = manage(live, "restore", tmp_path / "nowhere")
    assert result.returncode == 1
    assert result.stderr.decode().count("\n") == 1
    assert count(live / DATABASE) == 5


def test_it_points_postgresql_to_pg_restore_in_one_line(tmp_path, postgres_url):
    (tmp_path / "clock.sqlite3").write_bytes(b"")
    result = manage(
        tmp_path,
        "restore",
        tmp_path / "clock.sqlite3",
        env={"DATABASE_URL": postgres_url},
    )
    assert result.returncode == 1
    assert result.stderr.decode().count("\n") == 1
    assert "pg_restore" in result.stderr.decode()
