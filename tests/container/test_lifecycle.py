"""Each image across restarts, switches, stops and one-off commands."""

import threading

from containers import contract
from containers.container import Container


def visits(stack):
    return stack.get("/api/time").json()["visits"]


def test_it_keeps_the_visit_count_across_down_up_and_a_variant_switch(fresh_stack):
    fresh_stack.up()
    for _ in range(3):
        assert fresh_stack.get("/").status == 200
    fresh_stack.down()
    fresh_stack.up()
    assert visits(fresh_stack) == 3
    other = next(name for name in contract.variants() if name != fresh_stack.variant)
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
    container = fresh_stack.container()
    with container.python_running("hold_write_lock", 4) as locker:
        assert locker.stdout.readline().strip() == "locked"
        answers = []
        visit = threading.Thread(target=lambda: answers.append(fresh_stack.get("/")))
        visit.start()
        visit.join(1)  # the page view now waits for the lock
        assert visit.is_alive()
        fresh_stack.compose("stop", "web")
        visit.join(30)
        assert [answer.status for answer in answers] == [200]
        assert container.state()["ExitCode"] == 0
    fresh_stack.up()
    assert visits(fresh_stack) == 1


def test_it_runs_manage_py_commands_through_compose_exec(stack):
    def manage(*command, env=None):
        flags = [f"--env={key}={value}" for key, value in (env or {}).items()]
        return stack.compose(
            "exec", "-T", *flags, "web", "python", "manage.py", *command
        )

    assert manage("migrate", "--check").returncode == 0
    created = manage(
        "createsuperuser",
        "--noinput",
        env={
            "DJANGO_SUPERUSER_USERNAME": f"admin-{stack.variant}",
            "DJANGO_SUPERUSER_EMAIL": "admin@example.com",
            "DJANGO_SUPERUSER_PASSWORD": "a long and unguessable passphrase",
        },
    )
    assert created.returncode == 0
    users = manage(
        "shell",
        "-c",
        "from django.contrib.auth.models import User;"
        "print(User.objects.filter(is_superuser=True).count())",
    )
    assert int(users.stdout.split()[-1]) >= 1


def test_it_runs_with_no_volume_and_no_settings_and_says_data_is_ephemeral(
    stack, image
):
    # Not as compose runs it: a bare `docker run`, as a newcomer might.
    with Container.start(stack.image(), publish=image.port, kind="bare") as bare:
        bare.wait_healthy()
        assert bare.get("/").status == 200
        assert f"{image.data_dir} is not a mounted volume" in bare.logs()
