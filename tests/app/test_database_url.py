"""DATABASE_URL and DATABASE_PASSWORD_FILE, read in a fresh process as a
container reads them; without them, SQLite in the data directory as before."""

import json

import pytest

from containers.commands import run_python
from tests import serving
from tests.app.test_settings import error_line, printed, setup_with

SECRET = "s3cret-Pa55"  # noqa: S105 (a test value, shown nowhere)
DEFAULT = "__import__('json').dumps(s.DATABASES['default'], default=str)"


def database(data_dir, **variables):
    return json.loads(printed(data_dir, DEFAULT, **variables))


def test_it_keeps_sqlite_in_the_data_directory_without_a_url(tmp_path):
    default = database(tmp_path)
    assert default["ENGINE"] == "django.db.backends.sqlite3"
    assert default["NAME"] == str(tmp_path / "db.sqlite3")


def test_it_reads_every_part_of_a_postgresql_url(tmp_path):
    url = f"postgres://clock:{SECRET}@db.internal:6543/visits?sslmode=require"
    default = database(tmp_path, DATABASE_URL=url)
    assert {k: default[k] for k in ("ENGINE", "NAME", "USER", "PASSWORD", "HOST")} == {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "visits",
        "USER": "clock",
        "PASSWORD": SECRET,
        "HOST": "db.internal",
    }
    assert default["PORT"] == "6543"
    assert default["OPTIONS"]["sslmode"] == "require"


def test_it_accepts_the_postgresql_scheme_and_the_default_port(tmp_path):
    default = database(tmp_path, DATABASE_URL="postgresql://clock@db/clock")
    assert (default["HOST"], default["PORT"], default["PASSWORD"]) == ("db", "", "")


def test_it_decodes_a_percent_encoded_password(tmp_path):
    default = database(tmp_path, DATABASE_URL="postgres://clock:p%40ss%2Fw@db/clock")
    assert default["PASSWORD"] == "p@ss/w"  # noqa: S105


def test_it_reads_the_password_from_the_file_named(tmp_path):
    secret = tmp_path / "password"
    secret.write_text(SECRET + "\n")
    default = database(
        tmp_path,
        DATABASE_URL="postgres://clock@db/clock",
        DATABASE_PASSWORD_FILE=str(secret),
    )
    assert default["PASSWORD"] == SECRET


def test_it_gives_up_on_an_unreachable_server_within_seconds(tmp_path):
    default = database(tmp_path, DATABASE_URL="postgres://clock@db/clock")
    assert 0 < default["OPTIONS"]["connect_timeout"] <= 10


@pytest.mark.parametrize(
    ("url", "message"),
    [
        (f"mysql://clock:{SECRET}@db/clock", "is not a PostgreSQL URL"),
        ("sqlite:///db.sqlite3", "is not a PostgreSQL URL"),
        (f"db:5432/clock?password={SECRET}", "is not a PostgreSQL URL"),
        (f"postgres://clock:{SECRET}@/clock", "names no host"),
        (f"postgres://clock:{SECRET}@db", "names no database"),
        (f"postgres://clock:{SECRET}@db/", "names no database"),
        (f"postgres://:{SECRET}@db/clock", "names no user"),
        ("postgres://db/clock", "names no user"),
        (f"postgres://clock:{SECRET}@db:port/clock", "has a port that is not"),
        (f"postgres://clock:{SECRET}@db:0/clock", "has a port that is not"),
        (f"postgres://clock:{SECRET}@db:65536/clock", "has a port that is not"),
        (f"postgres://clock:{SECRET}@db/clock?sslmod=require", "is not a valid"),
        (f"postgres://clock:{SECRET}@db/clock?sslmode", "is not a valid"),
        (f"postgres://clock:{SECRET} x@db/clock", "is not a valid"),
        (f"postgres://clock:{SECRET}/x@db/clock", "names no user"),
        (f"postgres://clock@db:port/clock?password={SECRET}", "has a port"),
        (" ", "is set but empty"),
    ],
)
def test_it_stops_on_a_malformed_url_without_showing_the_password(
    tmp_path, url, message
):
    result = setup_with(tmp_path, DATABASE_URL=url)
    assert result.returncode != 0
    assert error_line(result).startswith(
        "django.core.exceptions.ImproperlyConfigured: DATABASE_URL"
    )
    assert message in error_line(result)
    assert SECRET not in result.stderr


def test_it_refuses_a_password_given_twice(tmp_path):
    secret = tmp_path / "password"
    secret.write_text(SECRET)
    result = setup_with(
        tmp_path,
        DATABASE_URL=f"postgres://clock:{SECRET}@db/clock",
        DATABASE_PASSWORD_FILE=str(secret),
    )
    assert "give it in one place" in error_line(result)
    assert SECRET not in result.stderr


@pytest.mark.parametrize(
    ("file", "message"),
    [("missing", "cannot be read"), ("empty", "is an empty file")],
)
def test_it_stops_on_a_password_file_it_cannot_use(tmp_path, file, message):
    (tmp_path / "empty").write_text("\n")
    result = setup_with(
        tmp_path,
        DATABASE_URL="postgres://clock@db/clock",
        DATABASE_PASSWORD_FILE=str(tmp_path / file),
    )
    assert f"DATABASE_PASSWORD_FILE={str(tmp_path / file)!r} {message}" in (
        error_line(result)
    )


def test_it_refuses_a_password_file_without_a_url(tmp_path):
    (tmp_path / "password").write_text(SECRET)
    result = setup_with(tmp_path, DATABASE_PASSWORD_FILE=str(tmp_path / "password"))
    assert "DATABASE_PASSWORD_FILE is set but DATABASE_URL is not" in error_line(result)


def test_gunicorn_stops_with_one_line_naming_the_variable(tmp_path):
    url = f"postgres://clock:{SECRET}@db:port/clock"
    returncode, output = serving.run_until_exit(tmp_path, {"DATABASE_URL": url})
    assert returncode != 0
    assert "Traceback" not in output
    assert SECRET not in output
    assert [line for line in output.splitlines() if "Configuration error" in line] == [
        line for line in output.splitlines() if "DATABASE_URL=" in line
    ]
    assert (
        "Configuration error: DATABASE_URL='postgres://clock:***@db:port/clock'"
        in output
    )


def test_the_migrate_command_stops_with_one_line_naming_the_variable(tmp_path):
    url = f"postgres://clock:{SECRET}@db:port/clock"
    result = run_python(
        *("-m", "stack.migrate"),
        env=serving.server_environment(tmp_path, {"DATABASE_URL": url}),
        check=False,
        timeout=60,
    )
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "Configuration error: DATABASE_URL='postgres://clock:***@db:port/clock' "
        "has a port that is not a number from 1 to 65535."
    ]


def unreachable_url():
    """A PostgreSQL URL whose port nothing listens on."""
    return f"postgres://clock:{SECRET}@127.0.0.1:{serving.free_port()}/clock"


# Seconds the tests below let a start wait for a server that never answers.
WAIT = {"DATABASE_WAIT_SECONDS": "3"}


def test_the_migrate_command_fails_with_one_line_when_the_server_is_away(tmp_path):
    result = run_python(
        *("-m", "stack.migrate"),
        env=serving.server_environment(
            tmp_path, {"DATABASE_URL": unreachable_url(), **WAIT}
        ),
        check=False,
        timeout=60,
    )
    assert result.returncode == 1
    assert len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith("Migrations could not be applied: ")
    assert "The database does not answer yet; trying again" in result.stdout
    assert "Traceback" not in result.stderr + result.stdout
    assert SECRET not in result.stderr + result.stdout


def test_gunicorn_waits_for_the_server_then_stops_with_one_line(tmp_path):
    env = {"DATABASE_URL": unreachable_url(), **WAIT}
    returncode, output = serving.run_until_exit(tmp_path, env, timeout=30)
    assert returncode == 1
    assert "The database does not answer yet; trying again" in output
    assert [line for line in output.splitlines() if "CRITICAL" in line] == [
        line for line in output.splitlines() if "did not answer within 3 s" in line
    ]
    assert "did not answer within 3 s" in output
    assert "Traceback" not in output
    assert SECRET not in output
