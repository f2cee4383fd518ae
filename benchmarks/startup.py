"""Starting a container: `docker run` to the first 200 on /, and to `healthy`,
against the floor of the same base image starting a Python that does nothing."""

import time

from benchmarks.stats import summary
from containers import compose, wait
from containers.container import Container

STARTUP_SECONDS = 120


def serve(web, data, kind, options=(), env=None, command=()):
    """A started container that has answered 200 on / (removed on exit)."""
    container = compose.start_app(
        web, *options, volume=data, env=env, command=command, kind=kind
    )
    try:
        wait.answer(container.url + "/", STARTUP_SECONDS, 200, 0.01)
    except BaseException:
        container.remove()
        raise
    return container


def first_200(web, volume):
    """Seconds from `docker run` to the first 200 on /, with `volume` (or
    none) on the data path; the container is removed after."""
    since = time.monotonic()
    with compose.start_app(web, volume=volume, kind="start") as app:
        wait.answer(app.url + "/", STARTUP_SECONDS, 200, 0.01, since)
        return time.monotonic() - since


def cold_starts(web, volume, count):
    """(seconds to the first 200, seconds to healthy) of count starts of the
    image on a data volume that is already migrated, as a restarted service
    finds it; each container is removed after."""
    to_200, to_healthy = [], []
    for _ in range(count):
        since = time.monotonic()
        with compose.start_app(web, volume=volume, kind="start") as app:
            wait.answer(app.url + "/", STARTUP_SECONDS, 200, 0.01, since)
            to_200.append(time.monotonic() - since)
            app.wait_healthy(STARTUP_SECONDS, since=since)
            to_healthy.append(time.monotonic() - since)
    return summary(to_200), summary(to_healthy)


def floor(web, base_image, count):
    """The base image, run with the same flags, until its `python -c pass` exits."""
    seconds = []
    for _ in range(count):
        since = time.monotonic()
        with Container.start(
            base_image,
            *compose.hardening(web),
            "--entrypoint=python",
            command=("-c", "pass"),
            kind="floor",
        ) as nothing:
            nothing.wait_exit()
            seconds.append(time.monotonic() - since)
    return summary(seconds)
