"""The images run for real: compose stacks and plain `docker run` containers.

Each stack has its own compose project name and a free loopback port, so test
stacks never meet a developer's own `docker compose up`; each is taken down
with its volumes at the end. Base images come from the environment as for any
compose run (PYTHON_ALPINE_IMAGE, PYTHON_BUILD_IMAGE, DISTROLESS_IMAGE), so a
registry mirror or local stand-ins serve as well as the pinned defaults.
"""

import http.client
import json
import os
import re
import subprocess
import tarfile
import tempfile
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from tests.serving import APP_VARIABLES, free_port

ROOT = Path(__file__).resolve().parents[2]
VARIANTS_FILE = ROOT / "docker" / "variants.yaml"
READY_SECONDS = 180


def variants():
    """The variant names: the top-level services of docker/variants.yaml."""
    text = VARIANTS_FILE.read_text(encoding="utf-8")
    return re.findall(r"^  ([a-z][a-z0-9-]*):$", text, flags=re.MULTILINE)


def run(*args, env=None, timeout=300, check=True):
    """A docker command's result; on failure, an error that shows its output."""
    result = subprocess.run(
        args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )
    if check and result.returncode != 0:
        raise AssertionError(
            f"{' '.join(args)} exited {result.returncode}:\n"
            f"{result.stdout}\n{result.stderr}"
        )
    return result


@dataclass
class Response:
    status: int
    headers: dict
    body: bytes

    @property
    def text(self):
        return self.body.decode("utf-8", errors="replace")

    def json(self):
        return json.loads(self.body)


def request(url, method="GET", headers=None, timeout=30):
    """One HTTP request, answered as it comes: no redirect followed, no raising."""
    match = re.fullmatch(r"http://([^/:]+):(\d+)(/.*)", url)
    host, port, path = match.group(1), int(match.group(2)), match.group(3)
    connection = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        connection.request(method, path, headers=headers or {})
        reply = connection.getresponse()
        return Response(
            reply.status, {k.lower(): v for k, v in reply.getheaders()}, reply.read()
        )
    finally:
        connection.close()


@contextmanager
def build_context_image(tag):
    """An image holding nothing but the build context, as the engine receives
    it after .dockerignore, under /context/; removed afterwards."""
    subprocess.run(
        ["docker", "build", "--quiet", "--tag", tag, "--file", "-", "."],
        input="FROM scratch\nCOPY . /context/\n",
        cwd=ROOT,
        text=True,
        check=True,
        capture_output=True,
        timeout=120,
    )
    try:
        yield tag
    finally:
        run("docker", "rmi", tag, check=False)


def filesystem(image):
    """{path: TarInfo} of an image's flattened filesystem."""
    container = run("docker", "create", image, "none").stdout.strip()
    try:
        with tempfile.TemporaryFile() as archive:
            subprocess.run(
                ["docker", "export", container], stdout=archive, check=True, timeout=120
            )
            archive.seek(0)
            with tarfile.open(fileobj=archive) as tar:
                return {member.name.rstrip("/"): member for member in tar.getmembers()}
    finally:
        run("docker", "rm", container, check=False)


def inspect(name, template):
    return run("docker", "inspect", "--format", template, name).stdout.strip()


def wait_healthy(container, timeout=READY_SECONDS):
    """Wait for Docker's own verdict from the image's HEALTHCHECK."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = json.loads(inspect(container, "{{json .State}}"))
        if state.get("Health", {}).get("Status") == "healthy":
            return
        if not state["Running"] and state["Status"] == "exited":
            raise AssertionError(
                f"{container} exited with {state['ExitCode']}:\n"
                + run("docker", "logs", container, check=False).stdout
            )
        time.sleep(0.5)
    raise AssertionError(f"{container} was not healthy within {timeout} s")


@dataclass
class Stack:
    """compose.yaml brought up as one variant, under a project name of its own."""

    variant: str
    project: str = field(default_factory=lambda: f"clocktest-{uuid.uuid4().hex[:8]}")
    port: int = field(default_factory=free_port)

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def environment(self, variant=None):
        clean = {k: v for k, v in os.environ.items() if not k.startswith(APP_VARIABLES)}
        return {
            **clean,
            "APP_VARIANT": variant or self.variant,
            "HOST_PORT": str(self.port),
            # compose's Bake builder needs buildx ≥ 0.17; its classic path
            # builds the same Dockerfiles with BuildKit.
            "COMPOSE_BAKE": "false",
        }

    def compose(self, *args, variant=None, timeout=600, check=True):
        return run(
            *("docker", "compose", "--project-name", self.project),
            *args,
            env=self.environment(variant),
            timeout=timeout,
            check=check,
        )

    def up(self, variant=None):
        if variant:
            self.variant = variant
        wait = ("--wait", "--wait-timeout", str(READY_SECONDS))
        self.compose("up", "--detach", "--build", *wait)
        return self

    def down(self, volumes=False):
        self.compose("down", *(["--volumes"] if volumes else []), "--timeout", "40")

    def container(self):
        return self.compose("ps", "--all", "--quiet", "web").stdout.strip()

    def exec(self, *command, env=None, check=True):
        flags = [f"--env={key}={value}" for key, value in (env or {}).items()]
        return self.compose("exec", "-T", *flags, "web", *command, check=check)

    def python(self, code, check=True):
        """Python code run inside the service, as the service's user."""
        return self.exec("python", "-c", code, check=check)

    def get(self, path, **kwargs):
        return request(self.url + path, **kwargs)

    def logs(self):
        return self.compose("logs", "--no-color", "web").stdout

    def image(self):
        """The tag compose.yaml gives this variant's image."""
        config = json.loads(self.compose("config", "--format", "json").stdout)
        return config["services"]["web"]["image"]
