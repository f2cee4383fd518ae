"""Each request's ID, for following it through the proxy's and the app's logs.

A trusted proxy's X-Request-ID is kept when well formed (nginx sets its own
$request_id when the client sent none); otherwise, and from any other peer,
the app makes one. The ID goes back on the response, into request.META as if
sent, and into every log line written while the request is served
(stack/log.py).
"""

import re
import uuid
from contextvars import ContextVar

from stack import client_address

HEADER = "X-Request-ID"
META_KEY = "HTTP_X_REQUEST_ID"
# Room for nginx's 32 hex digits, a UUID or a tracing system's ID; nothing that
# could break a log line or a header.
WELL_FORMED = re.compile(r"[A-Za-z0-9._-]{1,64}")

# The ID of the request this thread is serving; "-" outside any request.
current = ContextVar("request_id", default="-")


def choose(meta):
    """The request's ID: the trusted proxy's, if well formed, else a new one."""
    given = meta.get(META_KEY)
    if (
        given is not None
        and WELL_FORMED.fullmatch(given)
        and client_address.via_trusted_proxy(meta)
    ):
        return given
    return uuid.uuid4().hex


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META[META_KEY] = chosen = choose(request.META)
        token = current.set(chosen)
        try:
            response = self.get_response(request)
        finally:
            current.reset(token)
        response[HEADER] = chosen
        return response
