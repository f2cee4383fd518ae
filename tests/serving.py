"""gunicorn, started as the images start it, on a free loopback port.

The server runs with the project's own docker/gunicorn.conf.py, so tests see
what a container serves: the migrations run by on_starting, the log format, the
workers. Only the address differs: 127.0.0.1, never every interface.
"""

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONFIG = "docker/gunicorn.conf.py"
# Read by the settings or the gunicorn config: a developer's shell must not
# change what the tests see.
APP_VARIABLES = ("DJANGO_", "GUNICORN_", "WEB_CONCURRENCY", "PORT", "FORWARDED_")


class ServerDidNotStart(RuntimeError):
    pass


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_environment(data_dir, env=None):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(APP_VARIABLES)}
    return {**clean, "DJANGO_DATA_DIR": str(data_dir), **(env or {})}


def collect_static():
    """The hashed static files the settings' STATIC_ROOT must hold.

    STATIC_ROOT is the checkout's git-ignored staticfiles/, as for any local
    run; it is refreshed only when missing or older than the apps' sources, so
    that suites running side by side do not rewrite it under each other.
    """
    manifest = ROOT / "staticfiles" / "staticfiles.json"
    sources = [p for p in ROOT.glob("apps/*/static/**/*") if p.is_file()]
    if manifest.exists() and all(
        p.stat().st_mtime <= manifest.stat().st_mtime for p in sources
    ):
        return
    with tempfile.TemporaryDirectory() as data_dir:
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
            cwd=ROOT,
            env=server_environment(data_dir),
            check=True,
            timeout=120,
        )


def get(url, timeout=30):
    """(status, body) of a GET; an error status is an answer, not an exception."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as reply:
            return reply.status, reply.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


@dataclass
class Server:
    url: str
    process: subprocess.Popen
    log: Path

    def output(self):
        """Everything the server has written so far, stdout and stderr."""
        return self.log.read_text(encoding="utf-8", errors="replace")


def start(data_dir, env=None, port=None):
    """gunicorn's master process, writing its output to a temporary file."""
    collect_static()
    port = port or free_port()
    with tempfile.NamedTemporaryFile(
        prefix="gunicorn-", suffix=".log", delete=False
    ) as sink:
        log = Path(sink.name)
        process = subprocess.Popen(
            [
                *(sys.executable, "-m", "gunicorn", "-c", CONFIG),
                *("--bind", f"127.0.0.1:{port}"),
            ],
            cwd=ROOT,
            env=server_environment(data_dir, env),
            stdout=sink,
            stderr=subprocess.STDOUT,
            # Its own group: the workers can be killed with it if it hangs.
            start_new_session=True,
        )
    return Server(f"http://127.0.0.1:{port}", process, log)


def stop(server, timeout=30):
    """SIGTERM, as `docker stop` sends; SIGKILL to the group if it lingers."""
    if server.process.poll() is None:
        server.process.send_signal(signal.SIGTERM)
        try:
            server.process.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(server.process.pid, signal.SIGKILL)
            server.process.wait(timeout)
    return server.process.returncode


def wait_until_live(server, timeout=20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise ServerDidNotStart(
                f"gunicorn exited with {server.process.returncode}:\n{server.output()}"
            )
        try:
            if get(f"{server.url}/healthz", timeout=2)[0] == 200:
                return
        except (urllib.error.URLError, ConnectionError):
            pass
        time.sleep(0.1)
    raise ServerDidNotStart(
        f"gunicorn did not answer /healthz in {timeout} s:\n{server.output()}"
    )


@contextmanager
def gunicorn(data_dir, env=None):
    """A live server (base URL in .url, log in .output()), stopped on exit."""
    server = start(data_dir, env)
    try:
        wait_until_live(server)
        yield server
    finally:
        stop(server)
        server.log.unlink(missing_ok=True)


def run_until_exit(data_dir, env=None, timeout=20):
    """For a server that should refuse to start: its exit status and output."""
    server = start(data_dir, env)
    try:
        server.process.wait(timeout)
    except subprocess.TimeoutExpired:
        pass
    finally:
        returncode = stop(server)
    output = server.output()
    server.log.unlink(missing_ok=True)
    return returncode, output
