"""The images run as compose.yaml runs them, but by plain `docker run`.

compose's own overhead would blur a start-up measured in tenths of a second, so
the harness starts containers itself, with the hardening flags, port and data
path read from compose's resolved configuration: nothing here restates them.
"""

import json
import re
import time
import uuid
from dataclasses import dataclass

from tests.container.stack import ROOT, Stack, request, run
from tests.serving import free_port

# A run's containers and volumes carry this prefix, so a leftover is easy to spot.
PREFIX = "moscow-bench"
BARE_APP = ROOT / "benchmarks" / "bare_wsgi.py"
BARE_MOUNT = "/benchmarks"
STARTUP_SECONDS = 120


def service(variant, directory=ROOT):
    """compose's resolved `web` service for a variant, from directory's compose.yaml."""
    stack = Stack(variant)
    config = run(
        *("docker", "compose", "--project-directory", str(directory)),
        *("--file", str(directory / "compose.yaml"), "config", "--format", "json"),
        env=stack.environment(),
    )
    return json.loads(config.stdout)["services"]["web"]


def hardening_flags(web):
    """compose's read_only, tmpfs, cap_drop, security_opt and init as run flags."""
    flags = ["--read-only"] if web.get("read_only") else []
    flags += [f"--tmpfs={path}" for path in web.get("tmpfs", [])]
    flags += [f"--cap-drop={cap}" for cap in web.get("cap_drop", [])]
    flags += [f"--security-opt={opt}" for opt in web.get("security_opt", [])]
    flags += ["--init"] if web.get("init") else []
    return flags


def data_path(web):
    return next(v["target"] for v in web["volumes"] if v["type"] == "volume")


def app_port(web):
    return web["ports"][0]["target"]


def new_name(kind):
    return f"{PREFIX}-{kind}-{uuid.uuid4().hex[:8]}"


@dataclass
class Container:
    id: str
    url: str

    def get(self, path, timeout=30):
        return request(self.url + path, timeout=timeout)

    def exec_python(self, code):
        return run("docker", "exec", self.id, "python", "-c", code).stdout

    def remove(self):
        run("docker", "rm", "--force", "--volumes", self.id, check=False)


def start(web, volume, kind, env=None, command=(), mounts=()):
    """`docker run --detach` of the variant's image; returns at once."""
    port = free_port()
    environment = [f"--env={key}={value}" for key, value in (env or {}).items()]
    result = run(
        *("docker", "run", "--detach", "--name", new_name(kind)),
        *hardening_flags(web),
        f"--publish=127.0.0.1:{port}:{app_port(web)}",
        f"--volume={volume}:{data_path(web)}",
        *[f"--volume={source}:{target}:ro" for source, target in mounts],
        *environment,
        web["image"],
        *command,
    )
    return Container(result.stdout.strip(), f"http://127.0.0.1:{port}")


def bare_command():
    """The image's gunicorn, with its config, serving bare_wsgi.app instead."""
    return (
        *("python", "-m", "gunicorn", "--config", "/app/docker/gunicorn.conf.py"),
        *("--pythonpath", BARE_MOUNT, "bare_wsgi:app"),
    ), [(BARE_APP, f"{BARE_MOUNT}/{BARE_APP.name}")]


def runserver_command(web):
    """Django's development server, single process and threaded, in the image."""
    return (
        "python",
        "manage.py",
        "runserver",
        f"0.0.0.0:{app_port(web)}",
        "--noreload",
    )


def wait_for_200(container, since, path="/", timeout=STARTUP_SECONDS):
    """Seconds from since (a monotonic time) until path first answers 200."""
    while time.monotonic() - since < timeout:
        try:
            if container.get(path, timeout=2).status == 200:
                return time.monotonic() - since
        except OSError:
            # Refused, or accepted by docker-proxy and closed: not up yet.
            pass
        time.sleep(0.01)
    raise AssertionError(
        f"{container.id[:12]} gave no 200 on {path} within {timeout} s:\n"
        + run("docker", "logs", container.id, check=False).stderr
    )


def wait_healthy(container, since, timeout=STARTUP_SECONDS):
    """Seconds from since until Docker's HEALTHCHECK verdict is `healthy`."""
    while time.monotonic() - since < timeout:
        status = run(
            "docker", "inspect", "--format", "{{.State.Health.Status}}", container.id
        ).stdout.strip()
        if status == "healthy":
            return time.monotonic() - since
        time.sleep(0.05)
    raise AssertionError(f"{container.id[:12]} not healthy within {timeout} s")


def static_path(page):
    """The first hashed static file the page links."""
    return re.search(r'(?:src|href)="(/static/[^"]+)"', page).group(1)


def new_volume():
    return run("docker", "volume", "create", new_name("data")).stdout.strip()


def remove_volume(volume):
    run("docker", "volume", "rm", "--force", volume, check=False)
