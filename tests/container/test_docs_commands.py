"""DOCKER.md's commands run as printed, in the order a reader meets them on
one machine: the app up in each image, `manage.py` in it, a SQLite backup
restored in place and into a throwaway container, the move to PostgreSQL,
its backups and restore, development mode. Each block is typed whole into a
terminal (tests/container/terminal.py); a block no test can run here says so
on the page, and one that does neither fails the first test."""

import secrets
import signal

import pytest

from containers.docker import docker
from containers.http import request
from tests.container import documented
from tests.container.terminal import Terminal, copy_of_checkout

UP_WITHIN = 300
# compose stops the containers on Ctrl-C and exits 128 + SIGINT.
COMPOSE_INTERRUPTED = 128 + signal.SIGINT
POSTGRES = ("compose.yaml", "compose.postgres.yaml")
DEV = ("compose.yaml", "compose.dev.yaml")

# Each block this module runs, by its first line.
SWITCH = "docker compose up                          # the Alpine image (the default)"
MANAGE = "docker compose exec web python manage.py createsuperuser"
SQLITE_BACKUP = (
    "docker compose exec web python manage.py backup"
    "            # into /data/backups/db-<UTC time>.sqlite3"
)
THROWAWAY_RESTORE = (
    "docker run --rm -i --read-only --tmpfs /data:uid=65532,gid=65532"
    " moscow-clock:alpine \\"
)
TO_POSTGRES = "docker compose stop web"
MIGRATE = (
    "docker compose -f compose.yaml -f compose.postgres.yaml"
    " run --rm web python -m stack.migrate"
)
POSTGRES_BACKUP = "alias dc='docker compose -f compose.yaml -f compose.postgres.yaml'"
POSTGRES_RESTORE = "dc stop web"
POSTGRES_UP = "docker compose -f compose.yaml -f compose.postgres.yaml up --build"
DEV_MODE = "make dev    # docker compose -f compose.yaml -f compose.dev.yaml up --build"
RUN_HERE = {
    SWITCH,
    MANAGE,
    SQLITE_BACKUP,
    THROWAWAY_RESTORE,
    TO_POSTGRES,
    MIGRATE,
    POSTGRES_BACKUP,
    POSTGRES_RESTORE,
    POSTGRES_UP,
    DEV_MODE,
}


def test_every_shell_block_is_run_here_or_says_why_not():
    unaccounted = [
        f"{block.page}: {block.first_line}"
        for block in documented.blocks()
        if block.not_run is None and block.first_line not in RUN_HERE
    ]
    assert unaccounted == []
    printed = {block.first_line for block in documented.blocks()}
    assert printed >= RUN_HERE, "a block this module runs is no longer printed"


@pytest.fixture(scope="module")
def terminal(engine, tmp_path_factory):
    session = Terminal(copy_of_checkout(tmp_path_factory.mktemp("checkout")))
    yield session
    session.down(*POSTGRES, "compose.dev.yaml")


def serving(terminal, app):
    # The API, not the page: a page view would count as a visit.
    app.serves(terminal.url + "/api/time", UP_WITHIN)


def visits(terminal):
    return request(terminal.url + "/api/time").json()["visits"]


def line(block_first_line, number):
    return documented.block(block_first_line).splitlines()[number]


def running_images(terminal, *files):
    options = [a for name in files for a in ("--file", str(terminal.directory / name))]
    listed = docker(
        *("compose", "--project-directory", str(terminal.directory), *options),
        *("ps", "--status", "running", "--format", "{{.Service}} {{.Image}}"),
        env=terminal.environment(),
    ).stdout
    return dict(entry.split(" ", 1) for entry in listed.splitlines())


def test_the_alpine_image_comes_up_in_the_foreground_and_stops_on_ctrl_c(terminal):
    app = terminal.foreground(line(SWITCH, 0))
    serving(terminal, app)
    assert running_images(terminal) == {"web": "moscow-clock:alpine"}
    assert app.interrupt() == COMPOSE_INTERRUPTED, app.output()
    assert running_images(terminal) == {}


def test_manage_py_asks_its_questions_in_the_running_container(terminal):
    app = terminal.foreground(line(SWITCH, 0))
    serving(terminal, app)
    password = secrets.token_urlsafe(16).encode() + b"\r"
    shown = terminal.type(
        documented.block(MANAGE),
        replies=[
            (rb"Username[^:]*: ", b"docs\r"),
            (rb"Email address: ", b"docs@example.com\r"),
            (rb"Password: ", password),
            (rb"Password \(again\): ", password),
            (rb">>> ", b"from django.contrib.auth.models import User\r"),
            (rb">>> ", b"print('users:', User.objects.count())\r"),
            (rb">>> ", b"exit()\r"),
        ],
    )
    assert app.interrupt() == COMPOSE_INTERRUPTED, app.output()
    assert "Superuser created successfully." in shown
    assert "users: 1" in shown


def test_a_sqlite_backup_restores_in_place_and_into_a_throwaway_container(terminal):
    app = terminal.foreground(line(SWITCH, 0))
    serving(terminal, app)
    count = visits(terminal)
    shown = terminal.type(documented.block(SQLITE_BACKUP))
    assert "Backed up to /data/backups/db-" in shown
    assert "Restored " in shown
    backup = terminal.directory / "clock.sqlite3"
    assert backup.read_bytes().startswith(b"SQLite format 3\0")
    assert visits(terminal) == count
    shown = terminal.type(documented.block(THROWAWAY_RESTORE))
    assert "Restored " in shown
    assert app.interrupt() == COMPOSE_INTERRUPTED, app.output()


def test_the_distroless_image_takes_over_the_same_data(terminal):
    app = terminal.foreground(line(SWITCH, 0))
    serving(terminal, app)
    count = visits(terminal)
    assert app.interrupt() == COMPOSE_INTERRUPTED, app.output()
    app = terminal.foreground(line(SWITCH, 1))
    serving(terminal, app)
    assert running_images(terminal) == {"web": "moscow-clock:distroless"}
    assert visits(terminal) == count
    assert app.interrupt() == COMPOSE_INTERRUPTED, app.output()


def test_the_sqlite_data_moves_to_postgresql_and_its_dumps_restore(terminal):
    app = terminal.foreground(line(SWITCH, 0))
    serving(terminal, app)
    for _ in range(3):
        request(terminal.url + "/")
    count = visits(terminal)
    assert app.interrupt() == COMPOSE_INTERRUPTED, app.output()

    terminal.type(documented.block(TO_POSTGRES))
    assert running_images(terminal, *POSTGRES).keys() == {"web", "db"}
    assert visits(terminal) == count
    terminal.type(documented.block(MIGRATE))

    shown = terminal.type(documented.block(POSTGRES_BACKUP))
    assert ".dump" in shown
    assert (terminal.directory / "clock.dump").read_bytes().startswith(b"PGDMP")
    assert "db-backup" in running_images(terminal, *POSTGRES)
    dumped = visits(terminal)
    request(terminal.url + "/")
    assert visits(terminal) == dumped + 1

    terminal.type(documented.block(POSTGRES_RESTORE))
    assert visits(terminal) == dumped

    app = terminal.foreground(documented.block(POSTGRES_UP))
    app.shows("Attaching to")
    serving(terminal, app)
    assert visits(terminal) == dumped
    assert app.interrupt() == COMPOSE_INTERRUPTED, app.output()


def test_development_mode_serves_the_checkout_with_debug_on(terminal):
    app = terminal.foreground(documented.block(DEV_MODE))
    serving(terminal, app)
    # DEBUG on: a missing page is Django's technical 404, naming the URLconf.
    missing = request(terminal.url + "/no-such-page")
    assert missing.status == 404
    assert "URLconf" in missing.text
    # make passes Ctrl-C on to compose, then dies of it itself.
    assert app.interrupt() == -signal.SIGINT, app.output()
