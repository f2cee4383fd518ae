"""Backups taken from the running stacks and restored, as DOCKER.md's "Backups
and restore" says: the SQLite database through `docker compose exec -T` in
each image (the distroless one has no shell), and PostgreSQL through the
`db-backup` service's pg_dump and the server's own pg_restore."""

import subprocess

import pytest

from containers import ROOT, compose, contract
from containers.docker import new_name
from containers.http import free_port
from stack import facts

POSTGRES = ("--file", "compose.yaml", "--file", "compose.postgres.yaml")
# The database and its role, and the prefix of its dumps.
DATABASE = facts.fact("PROJECT_DATABASE")
VISITS = 25


def docker_compose(project, variant, *args, input=None, port=None, check=True):
    """`docker compose` with bytes in and out: backups are binary files."""
    result = subprocess.run(
        ["docker", "compose", "--project-name", project, *args],
        cwd=ROOT,
        env=compose.environment(variant, HOST_PORT=str(port or free_port())),
        input=input,
        capture_output=True,
        timeout=600,
        check=False,
    )
    if check:
        assert result.returncode == 0, result.stderr.decode()
    return result


def visits(stack):
    return stack.get("/api/time").json()["visits"]


def visit(stack, times):
    for _ in range(times):
        assert stack.get("/").status == 200


def test_sqlite_backup_and_restore_through_compose_exec(fresh_stack):
    stack = fresh_stack.up()
    visit(stack, VISITS)
    exec_web = ("exec", "-T", "web", "python", "manage.py")
    backup = docker_compose(
        stack.project,
        stack.variant,
        *exec_web,
        "backup",
        "--output",
        "-",
        port=stack.port,
    ).stdout
    visit(stack, 5)
    refused = docker_compose(
        stack.project,
        stack.variant,
        *exec_web,
        "restore",
        "-",
        input=backup[: len(backup) // 2],
        port=stack.port,
        check=False,
    )
    assert refused.returncode == 1
    assert refused.stderr.decode().count("\n") == 1
    assert visits(stack) == VISITS + 5
    docker_compose(
        stack.project,
        stack.variant,
        *exec_web,
        "restore",
        "-",
        input=backup,
        port=stack.port,
    )
    assert visits(stack) == VISITS
    visit(stack, 1)
    assert visits(stack) == VISITS + 1


@pytest.fixture(scope="module")
def postgres_stack(engine):
    """compose.yaml with compose.postgres.yaml, the first variant, up and healthy."""
    project, port = new_name("pgstack"), free_port()
    variant = next(iter(contract.variants()))

    def run(*args, **kwargs):
        return docker_compose(project, variant, *POSTGRES, *args, port=port, **kwargs)

    run("up", "--detach", "--build", "--wait", "--wait-timeout", "180")
    stack = compose.ComposeProject(variant, project=project, port=port)
    stack.run = run
    yield stack
    run("--profile", "backup", "down", "--volumes", "--timeout", "40", check=False)


def dumps(stack):
    listing = stack.run(
        "run", "--rm", "-T", "--entrypoint", "ls", "db-backup", "/backups"
    ).stdout.decode()
    return sorted(listing.split())


def test_postgresql_dump_and_restore_is_exact(postgres_stack):
    stack = postgres_stack
    visit(stack, VISITS)
    # A dump past the retention, which the next backup removes.
    expired = f"{DATABASE}-20000101T000000Z.dump"
    stack.run(
        *("run", "--rm", "-T", "--entrypoint", "touch", "db-backup"),
        *("-d", "2000-01-01T00:00:00", f"/backups/{expired}"),
    )
    before = dumps(stack)
    said = stack.run("run", "--rm", "-T", "db-backup", "once").stdout.decode()
    (dump,) = set(dumps(stack)) - set(before)
    assert f"backed up to /backups/{dump}" in said
    assert dump.startswith(f"{DATABASE}-")
    assert expired in said.partition(dump)[2]
    assert expired not in dumps(stack)

    archive = stack.run(
        "run", "--rm", "-T", "--entrypoint", "cat", "db-backup", f"/backups/{dump}"
    ).stdout
    assert archive.startswith(b"PGDMP")
    visit(stack, 5)
    stack.run("stop", "web")
    stack.run(
        *("exec", "-T", "db", "pg_restore", "--clean", "--if-exists"),
        *("--single-transaction", f"--username={DATABASE}", f"--dbname={DATABASE}"),
        input=archive,
    )
    stack.run("start", "web")
    stack.run("up", "--detach", "--wait", "--wait-timeout", "120")
    assert visits(stack) == VISITS


def test_the_backup_service_refuses_an_unknown_mode(postgres_stack):
    result = postgres_stack.run(
        "run", "--rm", "-T", "db-backup", "sometimes", check=False
    )
    assert result.returncode == 2
    assert b"usage: backup.sh once|every" in result.stderr


def test_a_failed_dump_leaves_no_file_that_looks_like_a_backup(postgres_stack):
    before = dumps(postgres_stack)
    result = postgres_stack.run(
        *("run", "--rm", "-T", "--env", "PGUSER=nobody", "db-backup", "once"),
        check=False,
    )
    assert result.returncode != 0
    assert dumps(postgres_stack) == before
