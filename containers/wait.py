"""Waiting: the one polling loop, and waiting for a URL to answer."""

import http.client
import time

from containers.http import request

# A single try gives up after this long, so that a hung server is retried.
TRY_SECONDS = 2


def until(check, timeout, what, interval=0.1, since=None):
    """The first true value `check()` returns, polled every `interval` seconds
    until `timeout` seconds after `since` (a monotonic time; now by default).
    `check` may raise to give up at once (a container that exited)."""
    deadline = (time.monotonic() if since is None else since) + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not within {timeout} s")
        time.sleep(interval)


def answer(url, timeout, status=None, interval=0.1, since=None):
    """The first answer from `url` (with `status`, if given): refused, reset
    or unanswered connections are tried again."""

    def check():
        try:
            response = request(url, timeout=TRY_SECONDS)
        except (OSError, http.client.HTTPException):
            return None
        return response if status in (None, response.status) else None

    wanted = f" {status}" if status else ""
    return until(check, timeout, f"{url} answering{wanted}", interval, since)
