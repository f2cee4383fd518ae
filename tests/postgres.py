"""A real PostgreSQL server for the tests, and an empty database on it per test.

The server is the `postgres` image that compose.postgres.yaml pins (or the one
POSTGRES_IMAGE names, a mirror or a stand-in), run by the Docker engine on a
free loopback port for the whole session, and removed at the end. Without an
engine the tests that need it are skipped, saying why (CI fails on skips).
"""

import os
import re
import secrets
import shutil
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

COMPOSE_FILE = Path(__file__).resolve().parent.parent / "compose.postgres.yaml"
USER = "clock"
START_TIMEOUT = 60


def image():
    """POSTGRES_IMAGE, else the default compose.postgres.yaml pins."""
    pinned = re.search(r"\$\{POSTGRES_IMAGE:-([^}]+)\}", COMPOSE_FILE.read_text())[1]
    return os.environ.get("POSTGRES_IMAGE") or pinned


def engine_problem():
    """None when a Docker engine answers, else why not."""
    if shutil.which("docker") is None:
        return "no docker command on PATH"
    info = subprocess.run(
        ["docker", "info", "--format", "{{.ServerVersion}}"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    return None if info.returncode == 0 else f"no Docker engine: {info.stderr.strip()}"


@contextmanager
def postgres_container():
    """The URL of a fresh PostgreSQL server's `postgres` database, as its owner."""
    name = f"moscow-clock-tests-postgres-{secrets.token_hex(4)}"
    password = secrets.token_urlsafe(16)
    subprocess.run(
        [
            *("docker", "run", "--detach", "--name", name),
            *(
                "--env",
                f"POSTGRES_USER={USER}",
                "--env",
                f"POSTGRES_PASSWORD={password}",
            ),
            *("--publish", "127.0.0.1::5432", image()),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    try:
        port = (
            subprocess.run(
                ["docker", "port", name, "5432/tcp"],
                check=True,
                capture_output=True,
                text=True,
                timeout=30,
            )
            .stdout.split()[0]
            .rpartition(":")[2]
        )
        url = f"postgres://{USER}:{password}@127.0.0.1:{port}/postgres"
        wait_until_accepting(url)
        yield url
    finally:
        subprocess.run(
            ["docker", "rm", "--force", "--volumes", name],
            capture_output=True,
            timeout=60,
        )


def wait_until_accepting(url):
    """Until the server takes connections on its published port (the image's
    entry point first runs a private server, on its socket alone, for initdb)."""
    import psycopg

    deadline = time.monotonic() + START_TIMEOUT
    while True:
        try:
            psycopg.connect(url, connect_timeout=2).close()
            return
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


@pytest.fixture(scope="session")
def postgres_server():
    if problem := engine_problem():
        pytest.skip(f"PostgreSQL tests need a Docker engine: {problem}")
    with postgres_container() as url:
        yield url


@contextmanager
def empty_database(server_url):
    """The URL of a new, empty database on the server, dropped on exit."""
    import psycopg

    name = f"test_{secrets.token_hex(4)}"
    with psycopg.connect(server_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield server_url.rpartition("/")[0] + f"/{name}"
    finally:
        with psycopg.connect(server_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


@pytest.fixture
def postgres_url(postgres_server):
    """An empty database of its own for the test."""
    with empty_database(postgres_server) as url:
        yield url
