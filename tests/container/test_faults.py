"""Each image when things go wrong: killed workers, stops and kills under load,
a full or read-only data volume, a broken setting."""

import time

from containers import compose, wait
from containers.container import volume
from containers.http import request
from containers.processes import gunicorn_pids
from tests.container.load import REQUEST_TIMEOUT, Load

# Bounds the issue states, in seconds.
WORKER_REPLACED_WITHIN = 30
HEALTHY_AGAIN_WITHIN = 60
READY_AGAIN_WITHIN = 15
CONFIG_ERROR_EXIT_WITHIN = 30


def visits(url):
    return request(url + "/api/time").json()["visits"]


def wait_ready(url, timeout):
    """Seconds until /readyz answers 200."""
    since = time.monotonic()
    wait.answer(url + "/readyz", timeout, status=200, interval=0.25)
    return time.monotonic() - since


def test_it_replaces_a_worker_killed_under_load(stack, reliability, load_seconds):
    container = stack.container()
    master, workers = gunicorn_pids(container)
    clients = 4 * len(workers)
    before = visits(stack.url)
    load = Load(stack.url, clients, load_seconds).start()
    time.sleep(load_seconds / 3)
    victim = workers[0]
    container.python("kill", victim)
    tally = load.join()

    def replaced():
        now = gunicorn_pids(container)
        return now if len(now[1]) == len(workers) and victim not in now[1] else None

    now_master, now_workers = wait.until(
        replaced, WORKER_REPLACED_WITHIN, "a replacement worker", interval=0.5
    )
    counted = visits(stack.url) - before
    reliability(
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
    grace_seconds = int(fresh_stack.config()["stop_grace_period"][:-1])
    load = Load(fresh_stack.url, 8, load_seconds + 60).start()
    time.sleep(load_seconds)
    started = time.monotonic()
    fresh_stack.compose("stop", "web")
    stop_seconds = time.monotonic() - started
    tally = load.stop()
    exit_code = container.state()["ExitCode"]
    fresh_stack.compose("start", "web")
    wait_ready(fresh_stack.url, HEALTHY_AGAIN_WITHIN)
    counted = visits(fresh_stack.url)
    reliability(
        fresh_stack.variant,
        "faults",
        "docker stop (SIGTERM) under load",
        {
            **tally.summary(),
            "stop_seconds": round(stop_seconds, 1),
            "grace_seconds": grace_seconds,
            "exit_code": exit_code,
            "visits_counted": counted,
            "data_lost": max(0, tally.ok - counted),
            "survived": exit_code == 0 and counted == tally.ok,
            "outcome": f"exit {exit_code} after {stop_seconds:.1f} s, "
            f"{tally.ok - counted} visit(s) lost",
        },
    )
    assert exit_code == 0
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
    fresh_stack.compose("kill", "web")
    tally = load.stop()
    started = time.monotonic()
    fresh_stack.compose("start", "web")
    container.wait_healthy(HEALTHY_AGAIN_WITHIN)
    healthy_seconds = time.monotonic() - started
    integrity = container.python("integrity").stdout.strip()
    counted = visits(fresh_stack.url)
    reliability(
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


def assert_failing_gracefully(container, workers, logged):
    """/readyz says which part failed and the log says why, the page answers,
    nothing crashes or restarts."""
    ready = request(container.url + "/readyz")
    page = request(container.url + "/", timeout=REQUEST_TIMEOUT)
    assert ready.status == 503
    assert ready.json() == {"status": "unavailable", "reason": "data-dir"}
    assert f"Not ready: {logged}" in container.logs()
    # The page may still be served from what the database holds; if not, it is
    # the site's own error page, never a traceback.
    assert page.status in (200, 500)
    if page.status == 500:
        assert "Server error" in page.text
    assert "Traceback" not in page.text
    assert gunicorn_pids(container)[1] == workers
    assert container.state()["Running"] is True
    assert container.inspect()["RestartCount"] == 0
    return ready, page


def test_it_reports_a_full_data_volume_and_recovers(stack, web, image, reliability):
    # The app's user owns the RAM disk, as it owns the image's data folder.
    disk = f"{image.data_dir}:rw,size=8m,uid={image.uid},gid={image.gid},mode=0770"
    restart = ("--restart", "unless-stopped")
    with compose.start_app(web, f"--tmpfs={disk}", *restart) as container:
        wait_ready(container.url, HEALTHY_AGAIN_WITHIN)
        for _ in range(3):
            assert container.get("/").status == 200
        _, workers = gunicorn_pids(container)
        filled = int(container.python("fill_data", "fill").stdout)
        ready, page = assert_failing_gracefully(container, workers, "data volume full")
        container.python("fill_data", "free")
        back = wait_ready(container.url, READY_AGAIN_WITHIN)
        assert container.get("/").status == 200
        assert visits(container.url) == 3 + (page.status == 200) + 1
    reliability(
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


def test_it_reports_a_read_only_data_volume_and_recovers(
    stack, web, image, reliability
):
    with volume() as data:
        writable = f"--mount=type=volume,source={data},destination={image.data_dir}"
        with compose.start_app(web, writable) as first:
            wait_ready(first.url, HEALTHY_AGAIN_WITHIN)
            assert first.get("/").status == 200
            first.stop()
        restart = ("--restart", "unless-stopped")
        with compose.start_app(web, writable + ",readonly", *restart) as frozen:
            wait.answer(frozen.url + "/readyz", HEALTHY_AGAIN_WITHIN, interval=0.25)
            _, workers = gunicorn_pids(frozen)
            ready, page = assert_failing_gracefully(
                frozen, workers, f"data directory {image.data_dir} cannot be written"
            )
        with compose.start_app(web, writable) as again:
            back = wait_ready(again.url, HEALTHY_AGAIN_WITHIN)
            assert again.get("/").status == 200
            assert visits(again.url) == 2
    reliability(
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


def test_it_stops_at_once_on_a_broken_setting_and_is_never_healthy(
    stack, web, image, reliability
):
    broken = {"DJANGO_ALLOWED_HOSTS": "http://x"}
    options = (f"--volume={image.data_dir}",)
    with compose.start_app(web, *options, env=broken) as container:
        container.wait_exit(CONFIG_ERROR_EXIT_WITHIN)
        state = container.state()
        logs = container.logs().strip().splitlines()
    reliability(
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
