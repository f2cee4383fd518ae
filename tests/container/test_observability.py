"""Each image's metrics, request IDs and JSON logs, as compose runs it: the
metrics on a port of their own inside the container, read from there."""

import json
import re
from concurrent.futures import ThreadPoolExecutor

from containers import compose, wait

VIEWS = 20
PAGE_VIEWS = re.compile(
    r'^django_http_requests_total\{method="GET",status="200",view="clock:index"\}'
    r" (\S+)$",
    flags=re.MULTILINE,
)


def declared(image, name):
    return int(dict(e.split("=", 1) for e in image.config["Env"])[name])


def fetch(container, port, path, *headers):
    return container.probe("fetch", port, path, *headers)


def page_views(stack, image):
    metrics = fetch(stack.container(), declared(image, "METRICS_PORT"), "/metrics")
    assert metrics["status"] == 200
    found = PAGE_VIEWS.search(metrics["body"])
    return float(found.group(1)) if found else 0


def test_it_declares_a_metrics_port_apart_from_the_apps(image):
    assert declared(image, "METRICS_PORT") != image.port


def test_it_serves_no_metrics_on_the_apps_port(stack):
    assert stack.get("/metrics").status == 404


def test_it_counts_page_views_across_its_workers_exactly(stack, image):
    before = page_views(stack, image)
    with ThreadPoolExecutor(4) as pool:
        statuses = list(pool.map(lambda _: stack.get("/").status, range(VIEWS)))
    assert statuses == [200] * VIEWS
    assert page_views(stack, image) - before == VIEWS


def test_it_returns_the_request_id_and_logs_it_on_the_access_line(stack):
    request_id = stack.get("/api/time").headers["x-request-id"]
    assert re.fullmatch(r"[0-9a-f]{32}", request_id)
    # gunicorn writes the access line once the answer has gone out.
    access = wait.until(
        lambda: [line for line in stack.logs().splitlines() if request_id in line],
        10,
        f"the access line of {request_id}",
    )
    assert len(access) == 1
    assert '"GET /api/time HTTP/1.1" 200 ' in access[0]


def test_it_keeps_a_well_formed_request_id_from_a_trusted_peer(stack, image):
    sent = "from-a-trusted-proxy-42"
    reply = fetch(stack.container(), image.port, "/api/time", f"X-Request-ID: {sent}")
    assert reply["headers"]["x-request-id"] == sent


def test_it_replaces_an_oversized_request_id(stack, image):
    sent = "a" * 200
    reply = fetch(stack.container(), image.port, "/api/time", f"X-Request-ID: {sent}")
    assert re.fullmatch(r"[0-9a-f]{32}", reply["headers"]["x-request-id"])


def test_it_writes_every_log_line_as_json_with_log_format_json(web, image):
    volume = f"--volume={image.data_dir}"
    with compose.start_app(web, volume, env={"LOG_FORMAT": "json"}) as app:
        app.wait_healthy()
        request_id = app.get("/").headers["x-request-id"]
        assert app.get("/no-such-page").status == 404
        app.stop()
        lines = app.logs().splitlines()
    entries = [json.loads(line) for line in lines]
    assert all({"time", "level", "logger", "message"} <= e.keys() for e in entries)
    (access,) = [e for e in entries if e.get("request_id") == request_id]
    assert (access["logger"], access["path"], access["status"]) == (
        "gunicorn.access",
        "/",
        200,
    )
    assert any(e["logger"] == "django.request" for e in entries)
