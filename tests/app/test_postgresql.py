"""The app on a real PostgreSQL server: migrations applied once however many
processes start at once, and readiness through an outage."""

import json
import subprocess
import time
from collections import Counter

import psycopg

from containers import ROOT
from containers.commands import start_python
from tests import serving

RACERS = 6
MIGRATION_FILES = sorted(
    (path.parent.parent.name, path.stem)
    for path in ROOT.glob("apps/*/migrations/0*.py")
)


def migrate_command(data_dir, url, code="from stack.migrate import main; main()"):
    return start_python(
        *("-c", code),
        env=serving.server_environment(data_dir, {"DATABASE_URL": url}),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def outputs(processes, timeout=120):
    return [(p.communicate(timeout=timeout)[0], p.returncode) for p in processes]


def applied_rows(url):
    with psycopg.connect(url) as database:
        return database.execute("SELECT app, name FROM django_migrations").fetchall()


def test_racing_migrate_commands_apply_each_migration_once(tmp_path, postgres_url):
    racers = [migrate_command(tmp_path, postgres_url) for _ in range(RACERS)]
    results = outputs(racers)
    assert [code for _, code in results] == [0] * RACERS, results
    said = Counter(
        "applied" if "migrations applied" in out else "up to date" for out, _ in results
    )
    # The lock let one in first; the others found the work done.
    assert said == {"applied": 1, "up to date": RACERS - 1}
    rows = applied_rows(postgres_url)
    assert len(rows) == len(set(rows))
    assert set(MIGRATION_FILES) <= set(rows)


def test_racing_migrate_commands_collide_without_the_lock(tmp_path, postgres_url):
    # The same race with the advisory lock taken out: what the lock prevents.
    unlocked = (
        "import contextlib, stack.migrate as m; "
        "m.exclusive = contextlib.nullcontext; m.main()"
    )
    results = outputs(
        [migrate_command(tmp_path, postgres_url, unlocked) for _ in range(RACERS)]
    )
    failed = [out for out, code in results if code != 0]
    rows = applied_rows(postgres_url)
    assert failed or len(rows) != len(set(rows))


def test_a_restart_finds_nothing_to_migrate(tmp_path, postgres_url):
    first, again = (
        outputs([migrate_command(tmp_path, postgres_url)])[0] for _ in range(2)
    )
    assert "migrations applied" in first[0]
    assert "migrations up to date" in again[0]


def test_servers_starting_together_migrate_once_and_all_serve(tmp_path, postgres_url):
    env = {"DATABASE_URL": postgres_url, "WEB_CONCURRENCY": "1"}
    servers = [serving.start(tmp_path / str(n), env) for n in range(3)]
    try:
        for server in servers:
            serving.wait_until_live(server, timeout=60)
        assert [serving.get(s.url + "/readyz")[0] for s in servers] == [200] * 3
        assert [serving.get(s.url + "/")[0] for s in servers] == [200] * 3
        visits = [json.loads(serving.get(s.url + "/api/time")[1]) for s in servers]
    finally:
        for server in servers:
            serving.stop(server)
            server.log.unlink(missing_ok=True)
    assert [v["visits"] for v in visits] == [3, 3, 3]
    rows = applied_rows(postgres_url)
    assert len(rows) == len(set(rows))


def ready(server):
    status, body = serving.get(server.url + "/readyz")
    return status, json.loads(body)


def wait_for(check, timeout=30):
    deadline = time.monotonic() + timeout
    while not (result := check()) and time.monotonic() < deadline:
        time.sleep(0.2)
    return result


def set_allow_connections(server_url, url, allowed):
    """Open or close the database to new connections; closing also ends every
    connection it has, as a server restart would."""
    name = url.rpartition("/")[2]
    with psycopg.connect(server_url, autocommit=True) as admin:
        admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS {allowed}')
        if not allowed:
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = %s",
                [name],
            )


def test_it_is_unready_while_the_database_is_away_and_serves_again(
    tmp_path, postgres_server, postgres_url
):
    env = {"DATABASE_URL": postgres_url, "WEB_CONCURRENCY": "2"}
    with serving.gunicorn(tmp_path, env) as server:
        assert ready(server) == (200, {"status": "ok"})
        assert serving.get(server.url + "/")[0] == 200
        set_allow_connections(postgres_server, postgres_url, False)
        try:
            status, body = ready(server)
            page = serving.get(server.url + "/")[0]
        finally:
            set_allow_connections(postgres_server, postgres_url, True)
        # Every worker's kept connection was cut: each must replace its own.
        back = [wait_for(lambda: ready(server)[0] == 200) for _ in range(4)]
        pages = [serving.get(server.url + "/")[0] for _ in range(8)]
        alive = server.process.poll() is None
    assert status == 503
    assert body == {"status": "unavailable", "reason": "database"}
    assert page == 500
    assert back == [True] * 4
    assert pages == [200] * 8
    assert alive


def test_it_waits_for_a_database_that_appears_after_start(tmp_path, postgres_server):
    url = postgres_server.rpartition("/")[0] + "/created_later"
    server = serving.start(tmp_path, {"DATABASE_URL": url})
    try:
        waiting = wait_for(lambda: "does not answer yet" in server.output())
        with psycopg.connect(postgres_server, autocommit=True) as admin:
            admin.execute('CREATE DATABASE "created_later"')
        serving.wait_until_live(server)
        status = ready(server)
        page = serving.get(server.url + "/")[0]
        output = server.output()
    finally:
        serving.stop(server)
        server.log.unlink(missing_ok=True)
        with psycopg.connect(postgres_server, autocommit=True) as admin:
            admin.execute('DROP DATABASE "created_later" WITH (FORCE)')
    assert waiting
    assert "Database migrations applied." in output
    assert status == (200, {"status": "ok"})
    assert page == 200
