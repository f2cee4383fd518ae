"""Traffic for the reliability tests: many clients at once, slow clients, and
a look at gunicorn's processes inside a running container."""

import contextlib
import http.client
import json
import socket
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

from tests.container.stack import request, run

# Every request, the slow clients' too, gives up after this long: a test that
# meets a hung server fails instead of hanging.
REQUEST_TIMEOUT = 10

# gunicorn's master and its workers, found through /proc: processes running
# `python -m gunicorn` (not the init, whose arguments name it too); the master
# is the one whose parent is not gunicorn, the workers are its children.
GUNICORN_PROCESSES = """
import json, os
processes = {}
for pid in filter(str.isdigit, os.listdir("/proc")):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as file:
            command = file.read().split(b"\\0")
        with open(f"/proc/{pid}/status") as file:
            ppid = next(int(l.split()[1]) for l in file if l.startswith("PPid:"))
    except OSError:
        continue
    processes[int(pid)] = (ppid, command[1:3] == [b"-m", b"gunicorn"])
gunicorns = {p for p, (_, g) in processes.items() if g}
masters = [p for p in gunicorns if processes[p][0] not in gunicorns]
workers = [p for p in gunicorns if processes[p][0] in masters]
print(json.dumps({"masters": masters, "workers": sorted(workers)}))
"""


def gunicorn_processes(python):
    """(master pid, [worker pids]) of the container that `python(code)` runs in."""
    found = json.loads(python(GUNICORN_PROCESSES).stdout)
    assert len(found["masters"]) == 1, found
    return found["masters"][0], found["workers"]


def container_python(container):
    """A `python(code)` for a plain `docker run` container."""
    return lambda code: run("docker", "exec", container, "python", "-c", code)


@dataclass
class Tally:
    """What the clients saw: answers by status, failures by exception."""

    statuses: Counter = field(default_factory=Counter)
    failures: Counter = field(default_factory=Counter)

    @property
    def sent(self):
        return self.statuses.total() + self.failures.total()

    @property
    def ok(self):
        return self.statuses[200]

    @property
    def server_errors(self):
        return sum(n for status, n in self.statuses.items() if status >= 500)

    @property
    def failed(self):
        return self.failures.total()

    def summary(self):
        return {
            "requests": self.sent,
            "ok": self.ok,
            "server_errors": self.server_errors,
            "connection_failures": self.failed,
            "statuses": {str(k): v for k, v in sorted(self.statuses.items())},
            "failures": dict(sorted(self.failures.items())),
        }


class Load:
    """`clients` threads asking for `path` back to back, each on a new
    connection, until `seconds` pass or stop() is called."""

    def __init__(self, url, clients, seconds, path="/"):
        self.url, self.clients, self.seconds, self.path = url, clients, seconds, path
        self.tally = Tally()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._threads = [
            threading.Thread(target=self._client, daemon=True) for _ in range(clients)
        ]

    def _client(self):
        deadline = time.monotonic() + self.seconds
        while time.monotonic() < deadline and not self._stop.is_set():
            try:
                status = request(self.url + self.path, timeout=REQUEST_TIMEOUT).status
            # A connection cut mid-answer (a killed worker) is an HTTPException.
            except (OSError, http.client.HTTPException) as error:
                with self._lock:
                    self.tally.failures[type(error).__name__] += 1
                # A stopped or restarting server refuses at once: no busy loop.
                time.sleep(0.05)
            else:
                with self._lock:
                    self.tally.statuses[status] += 1

    def start(self):
        for thread in self._threads:
            thread.start()
        return self

    def stop(self):
        self._stop.set()
        return self.join()

    def join(self):
        for thread in self._threads:
            thread.join(self.seconds + REQUEST_TIMEOUT + 5)
        assert not any(thread.is_alive() for thread in self._threads)
        return self.tally

    def run(self):
        return self.start().join()


class Tricklers:
    """`count` connections that send a request line, then one header byte a
    second, never finishing their headers (a "slowloris")."""

    def __init__(self, port, count):
        self.sockets = []
        for _ in range(count):
            connection = socket.create_connection(("127.0.0.1", port), timeout=5)
            connection.sendall(b"GET / HTTP/1.1\r\nX-Slow: ")
            self.sockets.append(connection)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._trickle, daemon=True)

    def _trickle(self):
        while not self._stop.wait(1):
            for connection in self.sockets:
                with contextlib.suppress(OSError):
                    connection.sendall(b"x")

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join(5)
        for connection in self.sockets:
            connection.close()


def wait_ready(url, timeout):
    """Seconds until /readyz answers 200; fails after `timeout` seconds."""
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        try:
            if request(url + "/readyz", timeout=2).status == 200:
                return time.monotonic() - start
        except OSError:
            pass
        time.sleep(0.25)
    raise AssertionError(f"{url}/readyz did not answer 200 within {timeout} s")


def wait_answer(url, path, timeout):
    """The first answer to `path` within `timeout` seconds, whatever its status."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            return request(url + path, timeout=REQUEST_TIMEOUT)
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.25)
