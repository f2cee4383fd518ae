"""gunicorn, started as the images start it, on a free loopback port.

The server runs with the project's own docker/gunicorn.conf.py, so tests see
what a container serves: the migrations run by on_starting, the log format, the
workers. Only the address differs: 127.0.0.1, never every interface; and the
static files are collected once per test run into a temporary folder
(tests/serving_settings.py), never into the checkout.
"""

import atexit
import functools
import os
import shutil
import signal
import subprocess
import tempfile
import urllib.error
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from containers import wait
from containers.commands import clean_environment, run_python, start_python
from containers.http import free_port

CONFIG = "docker/gunicorn.conf.py"
STARTUP_SECONDS = 20


class ServerDidNotStart(RuntimeError):
    pass


def server_environment(data_dir, env=None):
    return clean_environment(
        **{
            "DJANGO_DATA_DIR": str(data_dir),
            "DJANGO_SETTINGS_MODULE": "tests.serving_settings",
            "TEST_STATIC_ROOT": static_root(),
            **(env or {}),
        }
    )


@functools.cache
def static_root():
    """The hashed static files, collected as the image build does, once per run."""
    root = tempfile.mkdtemp(prefix="moscow-clock-static-")
    atexit.register(shutil.rmtree, root, ignore_errors=True)
    with tempfile.TemporaryDirectory() as data_dir:
        run_python(
            *("manage.py", "collectstatic", "--noinput", "-v", "0"),
            env=clean_environment(
                DJANGO_DATA_DIR=data_dir,
                DJANGO_SETTINGS_MODULE="tests.serving_settings",
                TEST_STATIC_ROOT=root,
            ),
            timeout=120,
        )
    return root


def get(url, timeout=30, headers=None):
    """(status, body) of a GET; an error status is an answer, not an exception."""
    try:
        request = urllib.request.Request(url, headers=headers or {})
        with urllib.request.urlopen(request, timeout=timeout) as reply:
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

    def lines(self):
        """The lines written so far, whole: one still being written is left
        out, to be read the next time."""
        return self.output().split("\n")[:-1]


def start(data_dir, env=None, port=None):
    """gunicorn's master process, writing its output to a temporary file."""
    port = port or free_port()
    with tempfile.NamedTemporaryFile(
        prefix="gunicorn-", suffix=".log", delete=False
    ) as sink:
        log = Path(sink.name)
        process = start_python(
            *("-m", "gunicorn", "-c", CONFIG),
            *("--bind", f"127.0.0.1:{port}"),
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


def wait_until_live(server, timeout=STARTUP_SECONDS):
    def live():
        if server.process.poll() is not None:
            raise ServerDidNotStart(
                f"gunicorn exited with {server.process.returncode}:\n{server.output()}"
            )
        try:
            return get(f"{server.url}/healthz", timeout=2)[0] == 200
        except (urllib.error.URLError, ConnectionError):
            return False

    try:
        wait.until(live, timeout, "gunicorn answering /healthz")
    except AssertionError as error:
        raise ServerDidNotStart(f"{error}:\n{server.output()}") from None


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
