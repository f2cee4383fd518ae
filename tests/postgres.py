"""A real PostgreSQL server for the tests, and an empty database on it per test.

The server is the `postgres` image that compose.postgres.yaml pins (or the one
POSTGRES_IMAGE names, a mirror or a stand-in), run by the Docker engine on a
free loopback port for the whole session, and removed at the end. Without an
engine the tests that need it are skipped, saying why (CI fails on skips).
"""

import secrets
from contextlib import contextmanager
from urllib.parse import urlsplit

import pytest

from containers import contract, wait
from containers.container import Container
from containers.docker import engine_problem

USER = "clock"
START_TIMEOUT = 60


@contextmanager
def postgres_container():
    """The URL of a fresh PostgreSQL server's `postgres` database, as its owner."""
    password = secrets.token_urlsafe(16)
    with Container.start(
        contract.service_image("POSTGRES_IMAGE"),
        env={"POSTGRES_USER": USER, "POSTGRES_PASSWORD": password},
        publish=5432,
        kind="postgres",
    ) as server:
        port = urlsplit(server.url).port
        url = f"postgres://{USER}:{password}@127.0.0.1:{port}/postgres"
        wait.until(
            lambda: accepting(url), START_TIMEOUT, "PostgreSQL accepting connections"
        )
        yield url


def accepting(url):
    """Whether the server takes connections on its published port (the image's
    entry point first runs a private server, on its socket alone, for initdb)."""
    import psycopg

    try:
        psycopg.connect(url, connect_timeout=2).close()
    except psycopg.OperationalError:
        return False
    return True


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
