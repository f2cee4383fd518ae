"""Each image when things go wrong: killed workers, stops and kills under load,
a full or read-only data volume, a broken setting."""

import json
import time
import uuid

from tests.container.load import (
    REQUEST_TIMEOUT,
    Load,
    container_python,
    gunicorn_processes,
    wait_answer,
    wait_ready,
)
from tests.container.stack import inspect, request, run, wait_healthy
from tests.serving import free_port

# Bounds the issue states, in seconds.
WORKER_REPLACED_WITHIN = 30
HEALTHY_AGAIN_WITHIN = 60
READY_AGAIN_WITHIN = 15
CONFIG_ERROR_EXIT_WITHIN = 30

INTEGRITY = """
import sqlite3
database = sqlite3.connect("/data/db.sqlite3")
print(database.execute("PRAGMA integrity_check").fetchone()[0])
"""

FILL = """
import errno
written = 0
with open("/data/fill", "wb") as file:
    try:
        while True:
            file.write(b"\\0" * 65536)
            file.flush()
            written += 65536
    except OSError as error:
        assert error.errno == errno.ENOSPC, error
print(written)
"""


def visits(url):
    return request(url + "/api/time").json()["visits"]


def test_it_replaces_a_worker_killed_under_load(stack, reliability, load_seconds):
    master, workers = gunicorn_processes(stack.python)
    clients = 4 * len(workers)
    before = visits(stack.url)
    load = Load(stack.url, clients, load_seconds).start()
    time.sleep(load_seconds / 3)
    victim = workers[0]
    stack.python(f"import os, signal; os.kill({victim}, signal.SIGKILL)")
    tally = load.join()
    deadline = time.monotonic() + WORKER_REPLACED_WITHIN
    while time.monotonic() < deadline:
        now_master, now_workers = gunicorn_processes(stack.python)
        if len(now_workers) == len(workers) and victim not in now_workers:
            break
        time.sleep(0.5)
    counted = visits(stack.url) - before
    reliability.record(
        stack.variant,
        "faults",
        "worker SIGKILLed under load",
        {
            **tally.summary(),
            "clients": clients,
            "visits_counted": counted,
            "data_lost": max(0, tally.ok - counted),
            "survived": True,
            "outcome": f"replaced; {tally.failed} in-flight request(s) dropped",
        },
    )
    assert now_master == master
    assert victim not in now_workers
    assert len(now_workers) == len(workers)
    assert tally.server_errors == 0
    # Each client has at most one request in flight, on whichever worker.
    assert tally.failed <= clients
    # A dropped request may have counted its visit; no answered one is lost.
    assert tally.ok <= counted <= tally.ok + tally.failed


def test_it_drains_in_flight_requests_when_stopped_under_load(
    fresh_stack, reliability, load_seconds
):
    fresh_stack.up()
    container = fresh_stack.container()
    grace = fresh_stack.compose("config", "--format", "json").stdout
    grace_seconds = int(json.loads(grace)["services"]["web"]["stop_grace_period"][:-1])
    load = Load(fresh_stack.url, 8, load_seconds + 60).start()
    time.sleep(load_seconds)
    started = time.monotonic()
    fresh_stack.compose("stop", "web")
    stop_seconds = time.monotonic() - started
    tally = load.stop()
    exit_code = inspect(container, "{{.State.ExitCode}}")
    fresh_stack.compose("start", "web")
    wait_ready(fresh_stack.url, HEALTHY_AGAIN_WITHIN)
    counted = visits(fresh_stack.url)
    reliability.record(
        fresh_stack.variant,
        "faults",
        "docker stop (SIGTERM) under load",
        {
            **tally.summary(),
            "stop_seconds": round(stop_seconds, 1),
            "grace_seconds": grace_seconds,
            "exit_code": int(exit_code),
            "visits_counted": counted,
            "data_lost": max(0, tally.ok - counted),
            "survived": exit_code == "0" and counted == tally.ok,
            "outcome": f"exit {exit_code} after {stop_seconds:.1f} s, "
            f"{tally.ok - counted} visit(s) lost",
        },
    )
    assert exit_code == "0"
    assert stop_seconds < grace_seconds
    assert tally.server_errors == 0
    # Every request that reached the app was answered: none counted unanswered.
    assert counted == tally.ok


def test_it_comes_back_whole_after_being_killed_under_load(
    fresh_stack, reliability, load_seconds
):
    fresh_stack.up()
    container = fresh_stack.container()
    load = Load(fresh_stack.url, 8, load_seconds + 60).start()
    time.sleep(load_seconds)
    run("docker", "kill", container)
    tally = load.stop()
    started = time.monotonic()
    fresh_stack.compose("start", "web")
    wait_healthy(container, timeout=HEALTHY_AGAIN_WITHIN)
    healthy_seconds = time.monotonic() - started
    integrity = fresh_stack.python(INTEGRITY).stdout.strip()
    counted = visits(fresh_stack.url)
    reliability.record(
        fresh_stack.variant,
        "faults",
        "docker kill (SIGKILL) under load",
        {
            **tally.summary(),
            "healthy_again_seconds": round(healthy_seconds, 1),
            "integrity_check": integrity,
            "visits_counted": counted,
            "data_lost": max(0, tally.ok - counted),
            "survived": integrity == "ok" and counted >= tally.ok,
            "outcome": f"healthy after {healthy_seconds:.0f} s, integrity {integrity}, "
            f"{max(0, tally.ok - counted)} visit(s) lost",
        },
    )
    assert integrity == "ok"
    assert tally.server_errors == 0
    assert tally.ok <= counted <= tally.ok + tally.failed


class Container:
    """One `docker run` of an image, removed with its volumes at the end."""

    def __init__(self, image, *options):
        self.name = f"clocktest-{uuid.uuid4().hex[:8]}"
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.image, self.options = image, options
        self.python = container_python(self.name)

    def start(self, *options):
        run(
            *("docker", "run", "--detach", "--name", self.name),
            *("--read-only", "--tmpfs", "/tmp", "--cap-drop", "ALL"),
            *("--publish", f"127.0.0.1:{self.port}:8000"),
            *self.options,
            *options,
            self.image,
        )
        return self

    def remove(self):
        run("docker", "rm", "--force", "--volumes", self.name, check=False)

    def state(self):
        return json.loads(inspect(self.name, "{{json .State}}"))

    def restarts(self):
        return int(inspect(self.name, "{{.RestartCount}}"))


def assert_failing_gracefully(container, workers, expected_reason):
    """/readyz says why, the page answers, nothing crashes or restarts."""
    ready = request(container.url + "/readyz")
    page = request(container.url + "/", timeout=REQUEST_TIMEOUT)
    assert ready.status == 503
    assert expected_reason in ready.json()["reason"]
    # The page may still be served from what the database holds; if not, it is
    # the site's own error page, never a traceback.
    assert page.status in (200, 500)
    if page.status == 500:
        assert "Server error" in page.text
    assert "Traceback" not in page.text
    assert gunicorn_processes(container.python)[1] == workers
    assert container.state()["Running"] is True
    assert container.restarts() == 0
    return ready, page


def test_it_reports_a_full_data_volume_and_recovers(stack, reliability):
    container = Container(
        stack.image(),
        # The app's user owns the RAM disk, as it owns the image's /data.
        *("--tmpfs", "/data:rw,size=8m,uid=65532,gid=65532,mode=0770"),
        *("--restart", "unless-stopped"),
    )
    try:
        container.start()
        wait_ready(container.url, HEALTHY_AGAIN_WITHIN)
        for _ in range(3):
            assert request(container.url + "/").status == 200
        _, workers = gunicorn_processes(container.python)
        filled = int(container.python(FILL).stdout)
        ready, page = assert_failing_gracefully(container, workers, "data volume full")
        container.python("import os; os.unlink('/data/fill')")
        back = wait_ready(container.url, READY_AGAIN_WITHIN)
        assert request(container.url + "/").status == 200
        assert visits(container.url) == 3 + (page.status == 200) + 1
    finally:
        container.remove()
    reliability.record(
        stack.variant,
        "faults",
        "data volume full",
        {
            "filled_bytes": filled,
            "readyz": ready.json()["reason"],
            "page_status": page.status,
            "ready_again_seconds": round(back, 1),
            "survived": True,
            "outcome": f"/readyz 503, / {page.status}, ready {back:.0f} s after space",
        },
    )


def test_it_reports_a_read_only_data_volume_and_recovers(stack, reliability):
    volume = run("docker", "volume", "create").stdout.strip()
    writable = f"type=volume,source={volume},destination=/data"
    try:
        first = Container(stack.image(), "--mount", writable).start()
        try:
            wait_ready(first.url, HEALTHY_AGAIN_WITHIN)
            assert request(first.url + "/").status == 200
            run("docker", "stop", first.name)
        finally:
            first.remove()
        frozen = Container(
            stack.image(),
            *("--mount", writable + ",readonly"),
            *("--restart", "unless-stopped"),
        ).start()
        try:
            wait_answer(frozen.url, "/readyz", HEALTHY_AGAIN_WITHIN)
            _, workers = gunicorn_processes(frozen.python)
            ready, page = assert_failing_gracefully(frozen, workers, "Read-only")
        finally:
            frozen.remove()
        again = Container(stack.image(), "--mount", writable).start()
        try:
            back = wait_ready(again.url, HEALTHY_AGAIN_WITHIN)
            assert request(again.url + "/").status == 200
            assert visits(again.url) == 2
        finally:
            again.remove()
    finally:
        run("docker", "volume", "rm", volume, check=False)
    reliability.record(
        stack.variant,
        "faults",
        "data volume read-only",
        {
            "readyz": ready.json()["reason"],
            "page_status": page.status,
            "ready_again_seconds": round(back, 1),
            "survived": True,
            "outcome": f"/readyz 503, / {page.status}, "
            f"ready {back:.0f} s when writable again",
        },
    )


def test_it_stops_at_once_on_a_broken_setting_and_is_never_healthy(stack, reliability):
    container = Container(
        stack.image(), "--volume", "/data", "--env", "DJANGO_ALLOWED_HOSTS=http://x"
    )
    try:
        container.start()
        deadline = time.monotonic() + CONFIG_ERROR_EXIT_WITHIN
        while container.state()["Running"] and time.monotonic() < deadline:
            time.sleep(0.25)
        state = container.state()
        logs = run("docker", "logs", container.name).stdout.strip().splitlines()
    finally:
        container.remove()
    reliability.record(
        stack.variant,
        "faults",
        "broken setting (DJANGO_ALLOWED_HOSTS=http://x)",
        {
            "exit_code": state["ExitCode"],
            "log": logs,
            "health": state.get("Health", {}).get("Status"),
            "survived": not state["Running"] and state["ExitCode"] != 0,
            "outcome": f"exit {state['ExitCode']}: {logs[-1] if logs else ''}",
        },
    )
    assert state["Running"] is False
    assert state["ExitCode"] != 0
    errors = [line for line in logs if "Configuration error" in line]
    assert len(errors) == 1
    assert "DJANGO_ALLOWED_HOSTS" in errors[0]
    assert not any("Traceback" in line for line in logs)
    assert state.get("Health", {}).get("Status") != "healthy"
