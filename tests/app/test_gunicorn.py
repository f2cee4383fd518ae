"""The app behind gunicorn, started with the images' own configuration."""

import re
import time

import pytest

from containers import ROOT
from containers.commands import run_python
from tests import serving

HEALTHCHECK = ROOT / "docker" / "healthcheck.py"

LOG_LINE = re.compile(
    r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} (DEBUG|INFO|WARNING|ERROR|CRITICAL) \S+ "
)


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("data")


@pytest.fixture(scope="module")
def server(data_dir):
    with serving.gunicorn(data_dir) as server:
        yield server


def log_line(server, text, timeout=10):
    """The first log line containing `text`, waited for: workers log the
    access line only after the response is sent."""
    deadline = time.monotonic() + timeout
    while True:
        lines = [line for line in server.output().splitlines() if text in line]
        if lines or time.monotonic() > deadline:
            return lines[0] if lines else None
        time.sleep(0.1)


def test_it_serves_the_moscow_time_page(server):
    status, body = serving.get(f"{server.url}/")
    assert status == 200
    assert "<h1>Moscow time</h1>" in body


def test_it_answers_the_liveness_probe(server):
    assert serving.get(f"{server.url}/healthz") == (200, '{"status": "ok"}')


def test_it_is_ready_because_migrations_ran_on_start(server):
    assert serving.get(f"{server.url}/readyz") == (200, '{"status": "ok"}')


def test_it_logs_a_request_as_one_access_line_with_level_and_logger(server):
    serving.get(f"{server.url}/api/time?marker=access-line")
    line = log_line(server, "/api/time?marker=access-line")
    assert line is not None
    assert " INFO gunicorn.access " in line
    assert '"GET /api/time?marker=access-line HTTP/1.1" 200 ' in line


@pytest.mark.parametrize(
    "header", [("X-Forwarded-Ssl", "on"), ("X-Forwarded-Protocol", "ssl")]
)
def test_it_takes_the_scheme_from_x_forwarded_proto_alone(server, header):
    # From a trusted proxy (loopback, by default), a client's other scheme
    # header beside the proxy's own is ignored, not a contradiction (400).
    status, _ = serving.get(
        f"{server.url}/api/time",
        headers={"X-Forwarded-Proto": "http", header[0]: header[1]},
    )
    assert status == 200


def test_it_generates_the_secret_key_into_the_data_directory(server, data_dir):
    keys = [path.name for path in data_dir.iterdir() if "secret_key" in path.name]
    assert keys == ["secret_key"]


def test_it_takes_gunicorn_flags_from_gunicorn_cmd_args(tmp_path):
    env = {"GUNICORN_CMD_ARGS": "--log-level warning"}
    with serving.gunicorn(tmp_path, env) as quiet:
        serving.get(f"{quiet.url}/healthz")
        assert log_line(quiet, "is not a mounted volume") is not None
        assert [
            line
            for line in quiet.output().splitlines()
            if " INFO gunicorn.error " in line
        ] == []


def healthcheck(**env):
    """The images' HEALTHCHECK, with nothing but `env` in its environment."""
    return run_python(HEALTHCHECK, env=env, check=False)


def test_its_healthcheck_finds_it_ready_on_the_port_it_is_given(server):
    assert healthcheck(PORT=server.url.rsplit(":", 1)[1]).returncode == 0


@pytest.mark.parametrize(
    ("port", "reason"),
    [("", "PORT='' is not a port number"), ("x", "PORT='x' is not a port number")],
)
def test_its_healthcheck_says_why_it_cannot_ask(port, reason):
    result = healthcheck(PORT=port)
    assert result.returncode == 1
    assert result.stderr.strip() == f"not ready: {reason}"


def test_its_healthcheck_says_when_nothing_answers():
    result = healthcheck(PORT=str(serving.free_port()))
    assert result.returncode == 1
    assert result.stderr.startswith("not ready: http://127.0.0.1:")


def test_it_warns_that_the_data_directory_is_not_a_volume(server):
    line = log_line(server, "is not a mounted volume")
    assert line is not None
    assert " WARNING gunicorn.error " in line


def test_it_writes_every_log_line_with_a_time_level_and_logger(server):
    serving.get(f"{server.url}/")
    log_line(server, '"GET / HTTP/1.1"')
    lines = server.output().splitlines()
    assert lines
    assert [line for line in lines if not LOG_LINE.match(line)] == []


@pytest.fixture(
    scope="module",
    params=[
        {"DJANGO_ALLOWED_HOSTS": "http://x"},
        # Read by gunicorn.conf.py itself, before Django is set up.
        {"PORT": "many"},
        {"LOG_FORMAT": "xml"},
        # The metrics on the app's port would go out through any proxy.
        {"METRICS_PORT": "8000"},
        # No key given, and no directory can be made under a device file.
        {"DJANGO_DATA_DIR": "/dev/null/data"},
    ],
    ids=lambda env: next(iter(env)),
)
def refused(request, tmp_path_factory):
    """(variable, exit status, output) of a start with one malformed setting."""
    returncode, output = serving.run_until_exit(
        tmp_path_factory.mktemp("data"), request.param
    )
    return next(iter(request.param)), returncode, output


def test_it_exits_with_an_error_status_on_a_malformed_setting(refused):
    _, returncode, _ = refused
    assert returncode not in (0, None)


def test_it_names_the_malformed_variable_on_one_line(refused):
    variable, _, output = refused
    assert len([line for line in output.splitlines() if variable in line]) == 1


def test_it_prints_no_traceback_for_a_malformed_setting(refused):
    _, _, output = refused
    assert "Traceback" not in output
