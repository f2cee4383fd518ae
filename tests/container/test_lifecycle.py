"""Each image across restarts, switches, stops and one-off commands."""

import subprocess
import threading

from tests.container.stack import inspect, request, run, variants, wait_healthy
from tests.serving import free_port

HOLD_WRITE_LOCK = """
import sqlite3, sys, time
db = sqlite3.connect("/data/db.sqlite3", isolation_level=None)
db.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
time.sleep(float(sys.argv[1]))
db.execute("COMMIT")
"""


def visits(stack):
    return stack.get("/api/time").json()["visits"]


def test_it_keeps_the_visit_count_across_down_up_and_a_variant_switch(fresh_stack):
    fresh_stack.up()
    for _ in range(3):
        assert fresh_stack.get("/").status == 200
    fresh_stack.down()
    fresh_stack.up()
    assert visits(fresh_stack) == 3
    other = next(name for name in variants() if name != fresh_stack.variant)
    fresh_stack.down()
    fresh_stack.up(variant=other)
    assert fresh_stack.get("/").status == 200
    assert visits(fresh_stack) == 4


def test_it_finishes_an_in_flight_request_when_stopped(fresh_stack):
    """docker stop sends SIGTERM: gunicorn lets the request finish, then exits 0.

    The request is held in flight by a write lock on the database, released a
    few seconds later, well before compose's stop_grace_period runs out and
    Docker would SIGKILL (exit code 137).
    """
    fresh_stack.up()
    locker = subprocess.Popen(
        [
            *("docker", "compose", "--project-name", fresh_stack.project),
            *("exec", "-T", "web", "python", "-c", HOLD_WRITE_LOCK, "4"),
        ],
        env=fresh_stack.environment(),
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert locker.stdout.readline().strip() == "locked"
        answers = []
        visit = threading.Thread(target=lambda: answers.append(fresh_stack.get("/")))
        visit.start()
        visit.join(1)  # the page view now waits for the lock
        assert visit.is_alive()
        container = fresh_stack.container()
        fresh_stack.compose("stop", "web")
        visit.join(30)
        assert [answer.status for answer in answers] == [200]
        assert inspect(container, "{{.State.ExitCode}}") == "0"
    finally:
        locker.kill()
        locker.wait(10)
    fresh_stack.up()
    assert visits(fresh_stack) == 1


def test_it_runs_manage_py_commands_through_compose_exec(stack):
    assert stack.exec("python", "manage.py", "migrate", "--check").returncode == 0
    created = stack.exec(
        "python",
        "manage.py",
        "createsuperuser",
        "--noinput",
        env={
            "DJANGO_SUPERUSER_USERNAME": f"admin-{stack.variant}",
            "DJANGO_SUPERUSER_EMAIL": "admin@example.com",
            "DJANGO_SUPERUSER_PASSWORD": "a long and unguessable passphrase",
        },
    )
    assert created.returncode == 0
    users = stack.exec(
        "python",
        "manage.py",
        "shell",
        "-c",
        "from django.contrib.auth.models import User;"
        "print(User.objects.filter(is_superuser=True).count())",
    )
    assert int(users.stdout.split()[-1]) >= 1


def test_it_runs_with_no_volume_and_no_settings_and_says_data_is_ephemeral(stack):
    port = free_port()
    name = f"{stack.project}-bare"
    run(
        "docker",
        "run",
        "--detach",
        "--name",
        name,
        "--publish",
        f"127.0.0.1:{port}:8000",
        stack.image(),
    )
    try:
        wait_healthy(name)
        assert request(f"http://127.0.0.1:{port}/").status == 200
        logs = run("docker", "logs", name).stdout
        assert "/data is not a mounted volume" in logs
    finally:
        run("docker", "rm", "--force", "--volumes", name, check=False)
