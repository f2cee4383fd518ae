"""Cold start: `docker run` to the first 200 on /, and to `healthy`, against the
floor of the same base image starting a Python that does nothing."""

import time

from benchmarks import containers
from benchmarks.stats import summary
from tests.container.stack import run


def cold_starts(web, volume, count):
    """count starts of the image on a data volume that is already migrated,
    as a restarted service finds it; each container is removed after."""
    to_200, to_healthy = [], []
    for _ in range(count):
        since = time.monotonic()
        container = containers.start(web, volume, "start")
        try:
            to_200.append(containers.wait_for_200(container, since))
            to_healthy.append(containers.wait_healthy(container, since))
        finally:
            container.remove()
    return {"to_first_200_s": summary(to_200), "to_healthy_s": summary(to_healthy)}


def floor(web, base_image, count):
    """`docker run` of the base image, with the same flags, running `pass`."""
    seconds = []
    for _ in range(count):
        name = containers.new_name("floor")
        since = time.monotonic()
        run(
            *("docker", "run", "--name", name, *containers.hardening_flags(web)),
            *("--entrypoint", "python", base_image, "-c", "pass"),
        )
        seconds.append(time.monotonic() - since)
        run("docker", "rm", name, check=False)
    return summary(seconds)
