"""Metrics, request IDs, JSON logs and Sentry, through gunicorn started as the
images start it: several workers, the exporter in the master."""

import http.server
import json
import os
import signal
import sqlite3
import threading
import urllib.request
import zlib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import brotli
import pytest

from containers import wait
from containers.commands import run_python
from containers.http import free_port, request
from tests import serving

WORKERS = 3
VIEWS = 60
PAGE_VIEWS = 'django_http_requests_total{method="GET",status="200",view="clock:index"}'


def metrics(port):
    """{sample with its labels: value} from the exporter."""
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10) as r:
        text = r.read().decode()
    return {
        name: float(value)
        for name, _, value in (line.rpartition(" ") for line in text.splitlines())
        if name and not name.startswith("#")
    }


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    port = free_port()
    env = {
        "METRICS_PORT": str(port),
        "WEB_CONCURRENCY": str(WORKERS),
        "LOG_FORMAT": "json",
    }
    with serving.gunicorn(tmp_path_factory.mktemp("data"), env) as running:
        running.metrics_port = port
        # The master forks its workers one after another after the first answers.
        wait.until(lambda: len(workers(running)) == WORKERS, 20, "every worker")
        yield running


def workers(server):
    """The master's children, from /proc: their pids."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:  # gone since listed
            continue
        if int(stat.rpartition(")")[2].split()[1]) == server.process.pid:
            found.append(int(pid))
    return sorted(found)


def page_views(server, count):
    """`count` page views at once, each on a connection of its own, so that
    every worker takes some."""
    with ThreadPoolExecutor(8) as pool:
        statuses = list(
            pool.map(lambda _: request(server.url + "/").status, range(count))
        )
    assert statuses == [200] * count


def test_it_adds_up_every_workers_page_views_exactly(server):
    before = metrics(server.metrics_port).get(PAGE_VIEWS, 0)
    page_views(server, VIEWS)
    after = metrics(server.metrics_port)
    assert after[PAGE_VIEWS] - before == VIEWS
    assert after["gunicorn_workers"] == WORKERS
    assert after["django_http_requests_in_progress"] == 0


def test_it_keeps_a_dead_workers_counts_and_drops_its_busy_threads(server):
    page_views(server, 10)
    before = metrics(server.metrics_port)
    os.kill(workers(server)[0], signal.SIGKILL)
    # Replaced by the master: as many workers again, none of them the dead one.
    wait.until(
        lambda: (
            metrics(server.metrics_port)["gunicorn_workers"] == WORKERS
            and len(workers(server)) == WORKERS
        ),
        20,
        "a replacement worker",
    )
    after = metrics(server.metrics_port)
    assert after[PAGE_VIEWS] == before[PAGE_VIEWS]
    assert after["django_http_requests_in_progress"] == 0


def test_it_serves_no_metrics_on_the_apps_port(server):
    assert request(server.url + "/metrics").status == 404


def access_line(server, request_id):
    def found():
        for line in server.lines():
            entry = json.loads(line)
            if (
                entry["logger"] == "gunicorn.access"
                and entry["request_id"] == request_id
            ):
                return entry
        return None

    return wait.until(found, 10, f"the access line of {request_id}")


def test_it_returns_and_logs_the_request_id_it_was_sent(server):
    sent = "trace-0123456789abcdef"
    # From 127.0.0.1: a proxy gunicorn trusts by default.
    response = request(server.url + "/api/time", headers={"X-Request-ID": sent})
    assert response.headers["x-request-id"] == sent
    entry = access_line(server, sent)
    assert {k: entry[k] for k in ("method", "path", "status", "client")} == {
        "method": "GET",
        "path": "/api/time",
        "status": 200,
        "client": "127.0.0.1",
    }
    assert 0 < entry["duration"] < 10


def test_it_logs_the_forwarded_client_and_the_id_on_djangos_lines_too(server):
    response = request(
        server.url + "/no-such-page", headers={"X-Forwarded-For": "203.0.113.9"}
    )
    request_id = response.headers["x-request-id"]
    assert access_line(server, request_id)["client"] == "203.0.113.9"
    django_lines = [
        entry
        for entry in map(json.loads, server.lines())
        if entry["logger"] == "django.request" and entry["request_id"] == request_id
    ]
    assert [(e["level"], e["status"], e["client"]) for e in django_lines] == [
        ("WARNING", 404, "203.0.113.9")
    ]


def test_it_writes_every_line_as_a_json_object_with_time_level_and_logger(server):
    page_views(server, 2)
    lines = server.lines()
    assert len(lines) > WORKERS
    for line in lines:
        entry = json.loads(line)
        assert {"time", "level", "logger", "message"} <= entry.keys(), line


class Recorder(http.server.BaseHTTPRequestHandler):
    """Sentry's ingestion endpoint, reduced to keeping what arrives."""

    received = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        # sentry-sdk compresses with Brotli where it is installed (it is, for
        # whitenoise), else with gzip.
        encoding = self.headers.get("Content-Encoding")
        if encoding == "br":
            body = brotli.decompress(body)
        elif encoding == "gzip":
            body = zlib.decompress(body, 16 + zlib.MAX_WBITS)
        self.received.append((self.path, body.decode(errors="replace")))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def sentry():
    """A local stand-in for Sentry, and the DSN that points at it."""
    Recorder.received = []
    recorder = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    threading.Thread(target=recorder.serve_forever, daemon=True).start()
    yield f"http://public@127.0.0.1:{recorder.server_port}/42", Recorder.received
    recorder.shutdown()


def test_it_sends_a_server_error_to_sentry_when_a_dsn_is_set(tmp_path, sentry):
    dsn, received = sentry
    with serving.gunicorn(tmp_path, {"SENTRY_DSN": dsn}) as server:
        # The counter's table gone: the page fails as a real fault would.
        with sqlite3.connect(tmp_path / "db.sqlite3") as database:
            database.execute("DROP TABLE clock_visitcounter")
        assert request(server.url + "/").status == 500
        wait.until(lambda: received, 20, "an event at the Sentry stand-in")
    path, body = received[0]
    assert path == "/api/42/envelope/"
    assert "OperationalError" in body
    assert "no such table: clock_visitcounter" in body


def test_it_logs_a_foreign_host_as_a_warning_kept_out_of_sentry(tmp_path, sentry):
    """A scan with someone else's Host is the client's error. One worker, so
    that its events reach the stand-in in the order they happened: once the
    server error that follows has arrived, any event for the Host would have."""
    dsn, received = sentry
    env = {"SENTRY_DSN": dsn, "LOG_FORMAT": "json", "WEB_CONCURRENCY": "1"}
    with serving.gunicorn(tmp_path, env) as server:
        assert request(server.url + "/", headers={"Host": "evil.example"}).status == 400
        with sqlite3.connect(tmp_path / "db.sqlite3") as database:
            database.execute("DROP TABLE clock_visitcounter")
        assert request(server.url + "/").status == 500
        wait.until(
            lambda: any("OperationalError" in body for _, body in received),
            20,
            "the server error's event at the Sentry stand-in",
        )
        lines = [json.loads(line) for line in server.lines()]
    about_host = [entry for entry in lines if "evil.example" in entry["message"]]
    assert [(entry["level"], entry["logger"]) for entry in about_host] == [
        ("WARNING", "django.security.DisallowedHost")
    ]
    assert not any("DisallowedHost" in body for _, body in received)


def test_it_loads_nothing_of_sentry_without_a_dsn(tmp_path):
    script = (
        "import sys, django; django.setup(); import project.wsgi;"
        "print('sentry_sdk' in sys.modules)"
    )
    result = run_python(
        "-c",
        script,
        env=serving.server_environment(tmp_path, {"DJANGO_SECRET_KEY": "x" * 50}),
    )
    assert result.stdout.strip() == "False"


def test_it_stops_the_exporter_with_the_server(tmp_path):
    port = free_port()
    with serving.gunicorn(tmp_path, {"METRICS_PORT": str(port)}):
        assert "gunicorn_workers" in metrics(port)
    with pytest.raises(OSError):
        metrics(port)
