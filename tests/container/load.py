"""Traffic for the reliability tests: many clients at once, and slow clients."""

import contextlib
import http.client
import math
import resource
import select
import socket
import ssl
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

from containers.http import request

# Every request, the slow clients' too, gives up after this long: a test that
# meets a hung server fails instead of hanging.
REQUEST_TIMEOUT = 10
# How long a slow client waits to connect, or to send its next byte.
CONNECT_TIMEOUT = 5
# The slow-client attack every proxy in front of the app is held to.
SLOW_CLIENTS = 1000
ATTACK_SECONDS = 30
ATTACK_REQUESTS = 100


@dataclass
class Tally:
    """What the clients saw: answers by status, failures by exception, and
    when each request not answered 200 was sent (a monotonic time)."""

    statuses: Counter = field(default_factory=Counter)
    failures: Counter = field(default_factory=Counter)
    missed_at: list = field(default_factory=list)

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
            sent = time.monotonic()
            try:
                status = request(self.url + self.path, timeout=REQUEST_TIMEOUT).status
            # A connection cut mid-answer (a killed worker) is an HTTPException.
            except (OSError, http.client.HTTPException) as error:
                with self._lock:
                    self.tally.failures[type(error).__name__] += 1
                    self.tally.missed_at.append(sent)
                # A stopped or restarting server refuses at once: no busy loop.
                time.sleep(0.05)
            else:
                with self._lock:
                    self.tally.statuses[status] += 1
                    if status != 200:
                        self.tally.missed_at.append(sent)

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
    second, never finishing their headers (a "slowloris"); over TLS to
    `server_name` when given a `tls` context. With `reopen`, one the server
    closes is opened again, so that `count` stay open the whole time, as an
    attacker keeps them. `closed` counts the connections the server closed."""

    def __init__(self, port, count, tls=None, server_name=None, reopen=False):
        open_files(count + 256)
        self.port, self.tls, self.server_name = port, tls, server_name
        self.reopen = reopen
        self.closed = 0
        self.sockets = [self._open() for _ in range(count)]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._trickle, daemon=True)

    def _open(self):
        connection = socket.create_connection(
            ("127.0.0.1", self.port), timeout=CONNECT_TIMEOUT
        )
        if self.tls is not None:
            connection = self.tls.wrap_socket(
                connection, server_hostname=self.server_name
            )
        connection.sendall(b"GET / HTTP/1.1\r\nX-Slow: ")
        return connection

    def _closed_by_server(self, connection):
        """Whether the server hung up: an answer (a 408) or the end of the
        stream is readable, or the byte could not be sent. TLS records that
        carry no data (TLS 1.3's session tickets) are not a hang-up."""
        if select.select([connection], [], [], 0)[0]:
            connection.settimeout(0)
            try:
                connection.recv(4096)
            except (ssl.SSLWantReadError, BlockingIOError):
                return False
            except OSError:
                return True
            finally:
                connection.settimeout(CONNECT_TIMEOUT)
            return True
        try:
            connection.sendall(b"x")
        except OSError:
            return True
        return False

    def _trickle(self):
        while not self._stop.wait(1):
            for index, connection in enumerate(self.sockets):
                if connection is None or not self._closed_by_server(connection):
                    continue
                connection.close()
                self.closed += 1
                self.sockets[index] = None
                if self.reopen and not self._stop.is_set():
                    with contextlib.suppress(OSError):
                        self.sockets[index] = self._open()

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join(30)
        for connection in self.sockets:
            if connection is not None:
                connection.close()


def open_files(count):
    """This process allowed `count` open files (sockets), as far as its hard
    limit goes: a shell's usual soft limit, 1,024, is below an attack's."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY and soft < count:
        wanted = count if hard == resource.RLIM_INFINITY else min(count, hard)
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))


def status_of(port, path="/", tls=None, server_name="127.0.0.1"):
    """The status of one GET on a new connection to a loopback port, by
    `server_name` (the Host, and the TLS name with a `tls` context)."""
    connection = socket.create_connection(("127.0.0.1", port), REQUEST_TIMEOUT)
    if tls is not None:
        connection = tls.wrap_socket(connection, server_hostname=server_name)
    client = http.client.HTTPConnection(server_name, port, timeout=REQUEST_TIMEOUT)
    # The connection made above (http.client would resolve the name itself).
    client.sock = connection
    try:
        client.request("GET", path)
        answer = client.getresponse()
        answer.read()
        return answer.status
    finally:
        client.close()


def beside_slow_clients(port, fetch, tls=None, server_name=None):
    """The attack each proxy is held to: SLOW_CLIENTS connections trickling
    their headers for ATTACK_SECONDS, reopened as the server closes them,
    while `fetch()` is called ATTACK_REQUESTS times evenly over that window.
    What the requests met, and how many slow connections the server closed."""
    with Tricklers(port, SLOW_CLIENTS, tls, server_name, reopen=True) as slow:
        results = spread(fetch, ATTACK_REQUESTS, ATTACK_SECONDS)
    seconds = [took for took, _ in results]
    return {
        "slow_connections": SLOW_CLIENTS,
        "attack_seconds": ATTACK_SECONDS,
        "closed_by_server": slow.closed,
        "requests": len(results),
        "ok": [outcome for _, outcome in results].count(200),
        "p50_ms": round(1000 * percentile(seconds, 0.5)),
        "p99_ms": round(1000 * percentile(seconds, 0.99)),
    }


def spread(fetch, count, seconds):
    """`fetch()` called `count` times, evenly over `seconds`: how long each
    call took, in seconds, and what it returned (or the exception it raised)."""
    results = []
    start = time.monotonic()
    for index in range(count):
        time.sleep(max(0, start + index * seconds / count - time.monotonic()))
        began = time.monotonic()
        try:
            outcome = fetch()
        except (OSError, http.client.HTTPException) as error:
            outcome = error
        results.append((time.monotonic() - began, outcome))
    return results


def percentile(values, share):
    """The value below which `share` (0 to 1) of `values` lie, nearest rank."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]
