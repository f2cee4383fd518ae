"""`manage.py backup`: an online copy of the SQLite database, into the data
directory, a named file or standard output."""

import json
import threading

from tests import serving
from tests.backups.commands import (
    DATABASE,
    count,
    manage,
    migrated,
    query,
    set_count,
)


def test_it_writes_a_timestamped_copy_into_the_data_directory(tmp_path):
    set_count(migrated(tmp_path), 41)
    result = manage(tmp_path, "backup")
    assert result.returncode == 0, result.stderr
    (copy,) = (tmp_path / "backups").glob("db-*Z.sqlite3")
    assert str(copy) in result.stdout.decode()
    assert count(copy) == 41


def test_it_writes_a_self_contained_file_readable_by_its_owner_alone(tmp_path):
    migrated(tmp_path)
    assert manage(tmp_path, "backup", "--output", tmp_path / "copy").returncode == 0
    assert query(tmp_path / "copy", "PRAGMA journal_mode") == [("delete",)]
    assert (tmp_path / "copy").stat().st_mode & 0o077 == 0
    assert [path.name for path in tmp_path.glob(".copy*")] == []


def test_it_writes_the_copy_and_nothing_else_to_standard_output(tmp_path):
    set_count(migrated(tmp_path), 7)
    result = manage(tmp_path, "backup", "--output", "-")
    assert result.returncode == 0, result.stderr
    (tmp_path / "piped").write_bytes(result.stdout)
    assert count(tmp_path / "piped") == 7
    # The temporary copy it streamed from is gone.
    assert sorted(path.name for path in tmp_path.iterdir()) == [
        DATABASE,
        "piped",
        "secret_key",
    ]


def test_it_says_in_one_line_where_the_directory_cannot_be_written(tmp_path):
    migrated(tmp_path)
    (tmp_path / "file").write_text("")
    result = manage(tmp_path, "backup", "--output", tmp_path / "file" / "copy")
    assert result.returncode == 1
    assert result.stderr.decode().count("\n") == 1
    assert "cannot be written" in result.stderr.decode()


def test_a_backup_taken_under_write_load_holds_a_count_seen_during_it(tmp_path):
    data, restored = tmp_path / "data", tmp_path / "restored"
    data.mkdir()
    stop = threading.Event()

    def visit(url):
        while not stop.is_set():
            assert serving.get(url + "/")[0] == 200

    with serving.gunicorn(data) as server:
        visitors = [
            threading.Thread(target=visit, args=(server.url,)) for _ in range(4)
        ]
        for visitor in visitors:
            visitor.start()
        try:
            before = json.loads(serving.get(server.url + "/api/time")[1])["visits"]
            result = manage(data, "backup", "--output", "-")
            after = json.loads(serving.get(server.url + "/api/time")[1])["visits"]
        finally:
            stop.set()
            for visitor in visitors:
                visitor.join(30)
    assert result.returncode == 0, result.stderr
    restored.mkdir()
    migrated(restored)
    assert manage(restored, "restore", "-", input=result.stdout).returncode == 0
    assert before < after
    assert before <= count(restored / DATABASE) <= after
    assert query(restored / DATABASE, "PRAGMA integrity_check") == [("ok",)]


def test_it_points_postgresql_to_pg_dump_in_one_line(tmp_path, postgres_url):
    result = manage(tmp_path, "backup", env={"DATABASE_URL": postgres_url})
    assert result.returncode == 1
    assert result.stderr.decode().count("\n") == 1
    assert "pg_dump" in result.stderr.decode()
    assert not (tmp_path / "backups").exists()
