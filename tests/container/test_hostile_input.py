"""Each image against hostile requests: every row of the table is answered as
expected, leaks nothing, and leaves every worker alive."""

import contextlib
import re
import socket
import uuid

import pytest

from containers import wait
from containers.http import request
from containers.processes import gunicorn_pids
from tests.container.load import REQUEST_TIMEOUT

HOST = b"Host: localhost\r\n"
CLOSE = b"Connection: close\r\n"
BIG_BODY = 3 * 1024 * 1024
DROPPED = "dropped"


def get(path, *headers):
    return (
        b"GET " + path + b" HTTP/1.1\r\n" + HOST + CLOSE + b"".join(headers) + b"\r\n"
    )


def body(method, path, size, content_type=b"application/x-www-form-urlencoded"):
    head = f"{method} {path} HTTP/1.1\r\nContent-Length: {size}\r\n".encode()
    return head + HOST + CLOSE + b"Content-Type: " + content_type + b"\r\n\r\n"


# (name, bytes sent as they are, statuses that are the right answer).
# DROPPED: the server closed the connection without an answer.
ROWS = [
    ("very long URL (10 000 bytes)", get(b"/" + b"a" * 10_000), {414}),
    (
        "oversized header (9 000 bytes)",
        get(b"/", b"X-Big: " + b"a" * 9000 + b"\r\n"),
        {431},
    ),
    (
        "too many headers (150)",
        get(b"/", *(b"X-H%d: 1\r\n" % i for i in range(150))),
        {431},
    ),
    ("garbage request line", b"GARBAGE\r\n\r\n", {400}),
    ("request line without version", b"GET /\r\n\r\n", {400}),
    ("unknown HTTP version", b"GET / HTTP/9.9\r\n" + HOST + b"\r\n", {400}),
    ("NUL and high bytes", b"\x00\xff\xfe\x00\r\n\r\n", {400}),
    (
        "TLS hello on the HTTP port",
        bytes.fromhex("160301") + b"\x01" * 60,
        {400, DROPPED},
    ),
    (
        "bare CR in the request line",
        b"GET /?a=1\rX-Injected: 1 HTTP/1.1\r\n" + HOST + b"\r\n",
        {400},
    ),
    ("negative Content-Length", body("POST", "/", -1), {400}),
    (
        "Content-Length with chunked (smuggling)",
        body("POST", "/", 4)[:-2] + b"Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        {400},
    ),
    ("traversal /static/../", get(b"/static/../project/settings.py"), {404}),
    ("traversal %2e%2e", get(b"/static/%2e%2e/%2e%2e/etc/passwd"), {404}),
    ("traversal ..%2f", get(b"/static/..%2f..%2fproject%2fsettings.py"), {404}),
    ("traversal double-encoded", get(b"/static/%252e%252e%252fmanage.py"), {404}),
    ("traversal backslashes", get(b"/static/clock/..%5c..%5c..%5cmanage.py"), {404}),
    (
        "traversal overlong UTF-8",
        get(b"/static/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd"),
        {404},
    ),
    ("absolute path in /static/", get(b"/static//etc/passwd"), {404}),
    *(
        (
            f"{method} on /",
            f"{method} / HTTP/1.1\r\n".encode() + HOST + CLOSE + b"\r\n",
            {405},
        )
        for method in ("PUT", "DELETE", "PATCH", "OPTIONS", "TRACE")
    ),
    ("POST on /api/time", body("POST", "/api/time", 0), {405}),
    ("3 MiB body on /", body("POST", "/", BIG_BODY), {405}),
    ("3 MiB body on /api/time", body("PUT", "/api/time", BIG_BODY), {405}),
    (
        "3 MiB form on the admin login",
        body("POST", "/admin/login/", BIG_BODY),
        {403, 400},
    ),
    (
        "CRLF in a query string",
        get(b"/?q=%0d%0aSet-Cookie:%20injected=1%0d%0aX-Injected:%201"),
        {200},
    ),
    ("CRLF in an admin path", get(b"/admin/%0d%0aX-Injected:%201"), {404}),
    ("CRLF in the admin's next", get(b"/admin/?next=%0d%0aX-Injected:%201"), {302}),
    (
        "admin login without CSRF token",
        body("POST", "/admin/login/", 29) + b"username=admin&password=admin",
        {403},
    ),
]
# What a file from outside the static root would show.
LEAKS = (b"root:", b"SECRET_KEY", b"import ", b"DJANGO_SETTINGS_MODULE")


def exchange(port, data):
    """The bytes the server sends back to `data`, until it closes or goes quiet."""
    with socket.create_connection(("127.0.0.1", port), timeout=REQUEST_TIMEOUT) as s:
        # Answered (and closed) before the whole body was read: fine.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            s.sendall(data)
        s.shutdown(socket.SHUT_WR)
        received = b""
        while True:
            try:
                chunk = s.recv(65536)
            except ConnectionResetError:
                break
            if not chunk:
                break
            received += chunk
    return received


def answer(received):
    """(status or DROPPED, header block) of a raw HTTP answer."""
    match = re.match(rb"HTTP/1\.[01] (\d{3})", received)
    if not match:
        return DROPPED, b""
    return int(match.group(1)), received.split(b"\r\n\r\n", 1)[0]


@pytest.mark.parametrize(("name", "data", "expected"), ROWS, ids=[r[0] for r in ROWS])
def test_it_answers_hostile_input_as_expected(stack, reliability, name, data, expected):
    status, headers = answer(exchange(stack.port, data))
    received_body = exchange(stack.port, data).split(b"\r\n\r\n", 1)[-1]
    alive = stack.get("/healthz").status
    reliability(
        stack.variant,
        "hostile",
        name,
        {
            "expected": " or ".join(str(s) for s in sorted(expected, key=str)),
            "answered": str(status),
            "as_expected": status in expected and alive == 200,
        },
    )
    assert status in expected
    header_lines = headers.lower().split(b"\r\n")
    assert not any(line.startswith(b"x-injected") for line in header_lines)
    assert not any(b"injected=" in line for line in header_lines)
    assert not any(leak in received_body for leak in LEAKS)
    assert alive == 200


def test_it_keeps_every_worker_through_raw_hostile_input(stack):
    before = gunicorn_pids(stack.container())
    for _, data, _ in ROWS:
        exchange(stack.port, data)
    assert stack.get("/").status == 200
    assert gunicorn_pids(stack.container()) == before


def test_it_refuses_a_foreign_host_with_one_warning_line_and_no_traceback(
    stack, reliability
):
    host = f"evil-{uuid.uuid4().hex[:8]}.example"
    response = stack.get("/", headers={"Host": host})
    # The line is written before the answer, and reaches the engine's log a
    # moment later.
    wait.until(lambda: host in stack.logs(), 10, "the line about the foreign Host")
    logs = stack.logs()
    reliability(
        stack.variant,
        "hostile",
        "foreign Host header",
        {"expected": "400", "answered": str(response.status), "as_expected": True},
    )
    assert response.status == 400
    assert "Traceback" not in response.text
    (line,) = [line for line in logs.splitlines() if host in line]
    assert " WARNING django.security.DisallowedHost " in line
    assert "Traceback" not in logs


def test_it_withstands_a_few_wrong_admin_passwords(stack, reliability):
    statuses = []
    for attempt in range(5):
        login = stack.get("/admin/login/")
        cookie = login.headers["set-cookie"].split(";")[0]
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login.text)[1]
        form = f"csrfmiddlewaretoken={token}&username=admin&password=guess{attempt}"
        headers = {
            "Cookie": cookie,
            "Content-Type": "application/x-www-form-urlencoded",
        }
        answer = request(
            stack.url + "/admin/login/", "POST", headers=headers, body=form
        )
        statuses.append(answer.status)
    reliability(
        stack.variant,
        "hostile",
        "5 wrong admin passwords",
        {
            "expected": "200 (form again)",
            "answered": ", ".join(map(str, sorted(set(statuses)))),
            "as_expected": statuses == [200] * 5,
        },
    )
    assert statuses == [200] * 5
