"""One HTTP request, answered as it comes: no redirect followed, no raising on
an error status, a connection that fails raised as it failed. HTTPS URLs are
checked against the system's roots and any authority `trust` added."""

import http.client
import json
import random
import socket
import ssl
from dataclasses import dataclass
from urllib.parse import urlsplit


@dataclass
class Response:
    status: int
    headers: dict
    body: bytes

    @property
    def text(self):
        return self.body.decode("utf-8", errors="replace")

    def json(self):
        return json.loads(self.body)


# The roots HTTPS requests are verified against.
TRUSTED = ssl.create_default_context()


def trust(authority_pem):
    """Trust an authority's certificate (PEM) for the HTTPS requests that follow."""
    TRUSTED.load_verify_locations(cadata=authority_pem)


def request(url, method="GET", headers=None, body=None, timeout=30):
    """One request on a new connection; headers come back with lower-case names."""
    parts = urlsplit(url)
    if parts.scheme == "https":
        connection = http.client.HTTPSConnection(
            parts.hostname, parts.port, timeout=timeout, context=TRUSTED
        )
    else:
        connection = http.client.HTTPConnection(
            parts.hostname, parts.port, timeout=timeout
        )
    try:
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        connection.request(method, path or "/", body=body, headers=headers or {})
        reply = connection.getresponse()
        return Response(
            reply.status, {k.lower(): v for k, v in reply.getheaders()}, reply.read()
        )
    finally:
        connection.close()


# Below Linux's default range of ports for outgoing connections (32768 and
# up): a port from that range, free when chosen, may be taken a moment later
# as the local end of some connection, and a server then fails to bind it.
PORTS = range(20000, 32768)


def free_port():
    """A loopback port nothing listens on now, outside the range the kernel
    hands to outgoing connections."""
    while True:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", random.choice(PORTS)))  # noqa: S311
            except OSError:
                continue
            return probe.getsockname()[1]
