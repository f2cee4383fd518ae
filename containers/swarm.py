"""Docker Swarm for tests and benchmarks: a single-node swarm, a stack deployed
from deploy/swarm/stack.yaml under a name of its own, its tasks and their
containers, updates, logs, and everything removed afterwards.

Plain `docker` commands: what an operator would type, so a failure shows the
command and its output.
"""

import json
import os
import secrets
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STACK_FILE = ROOT / "deploy" / "swarm" / "stack.yaml"
# Every secret the stack file names: the variable holding the secret's name.
SECRETS = {
    "django_secret_key": "DJANGO_SECRET_KEY_SECRET",
    "database_password": "DATABASE_PASSWORD_SECRET",
}
WAIT_SECONDS = 240


def docker(*args, input=None, timeout=300, check=True, env=None):
    """A docker command's result; on failure, an error that shows its output."""
    # The docker client found on PATH, as an operator would run it.
    result = subprocess.run(  # noqa: S603
        ["docker", *args],  # noqa: S607
        input=input,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
    )
    if check and result.returncode != 0:
        raise RuntimeError(
            f"docker {' '.join(args)} exited {result.returncode}:\n"
            f"{result.stdout}\n{result.stderr}"
        )
    return result


def wait_for(condition, timeout, what):
    """condition()'s first true value, polled; an error naming `what` after
    `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not (value := condition()):
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what}: not within {timeout} s")
        time.sleep(0.5)
    return value


def active():
    state = docker("info", "--format", "{{.Swarm.LocalNodeState}}").stdout.strip()
    return state == "active"


def init():
    """A single-node swarm on the loopback address; True if this call made it
    (and so should leave it), False if one was active already."""
    if active():
        return False
    docker("swarm", "init", "--advertise-addr", "127.0.0.1")
    return True


def leave():
    docker("swarm", "leave", "--force")


class Stack:
    """deploy/swarm/stack.yaml deployed as `name`, with secrets of its own.

    `variables` are the stack file's variables (APP_IMAGE, HTTP_PORT, ...);
    the rest of the environment passes through, so base images from a mirror
    (NGINX_IMAGE, POSTGRES_IMAGE) apply as for any deploy.
    """

    def __init__(self, name, variables):
        self.name = name
        self.variables = {
            **{variable: f"{name}_{secret}" for secret, variable in SECRETS.items()},
            **variables,
        }

    @property
    def url(self):
        """nginx's published port, on this node's loopback address."""
        return f"http://127.0.0.1:{self.variables['HTTP_PORT']}"

    def environment(self):
        return {**os.environ, **self.variables}

    def create_secrets(self):
        """Random values, piped to the engine: never written to a file."""
        for variable in SECRETS.values():
            docker(
                "secret",
                "create",
                self.variables[variable],
                "-",
                input=secrets.token_urlsafe(48),
            )

    def deploy(self, **changes):
        """Deploy, or redeploy with some variables changed (an update). Images
        are the engine's own: no registry is asked for their digests."""
        self.variables.update(changes)
        docker(
            *("stack", "deploy", "--resolve-image", "never", "--prune"),
            *("--compose-file", str(STACK_FILE), self.name),
            env=self.environment(),
        )

    def service(self, service):
        return f"{self.name}_{service}"

    def tasks(self, service):
        """The service's tasks meant to run, as the engine reports them."""
        ids = docker(
            "service",
            "ps",
            "--quiet",
            "--no-trunc",
            "--filter",
            "desired-state=running",
            self.service(service),
        ).stdout.split()
        if not ids:
            return []
        return json.loads(docker("inspect", *ids).stdout)

    def all_tasks(self, service):
        """Every task the service has had, stopped ones included."""
        ids = docker(
            "service", "ps", "--quiet", "--no-trunc", self.service(service)
        ).stdout.split()
        return json.loads(docker("inspect", *ids).stdout) if ids else []

    def containers(self, service):
        """Container ids of the service's running tasks."""
        return [
            task["Status"]["ContainerStatus"]["ContainerID"]
            for task in self.tasks(service)
            if task["Status"]["State"] == "running"
        ]

    def wait_running(self, service, count, timeout=WAIT_SECONDS):
        """Wait until exactly `count` tasks run. A task with a healthcheck is
        "running" only once healthy: until then it is "starting", and out of
        the service's DNS name. A task the node rejected (an image it does
        not have) fails the wait at once: the engine would retry forever."""

        def settled():
            newest = {}
            for task in sorted(self.all_tasks(service), key=lambda t: t["CreatedAt"]):
                newest[task.get("Slot", task.get("NodeID"))] = task["Status"]["State"]
            if "rejected" in newest.values():
                raise RuntimeError(f"{service} rejected:\n{self.history(service)}")
            tasks = self.tasks(service)
            states = [task["Status"]["State"] for task in tasks]
            return len(tasks) == count and states == ["running"] * count

        try:
            wait_for(settled, timeout, f"{count} running tasks of {service}")
        except TimeoutError as error:
            raise TimeoutError(f"{error}\n{self.history(service)}") from None
        return self.containers(service)

    def history(self, service):
        """`docker service ps`: every task the service has had, and its error."""
        return docker(
            "service",
            "ps",
            "--no-trunc",
            "--format",
            "{{.Name}} {{.Image}} {{.DesiredState}} {{.CurrentState}} {{.Error}}",
            self.service(service),
        ).stdout

    def roll(self, service, timeout=WAIT_SECONDS, **changes):
        """Redeploy with some variables changed and wait for `service`'s
        rolling update to end: "completed", or "rollback_completed" when the
        engine undid it."""
        previous = self.inspect(service).get("UpdateStatus", {}).get("StartedAt")
        self.deploy(**changes)

        def finished():
            status = self.inspect(service).get("UpdateStatus") or {}
            state = status.get("State", "")
            if status.get("StartedAt") == previous:
                return ""  # this update has not begun yet
            return state if state in {"completed", "rollback_completed"} else ""

        return wait_for(finished, timeout, f"the update of {service}")

    def inspect(self, service):
        return json.loads(docker("service", "inspect", self.service(service)).stdout)[0]

    def update(self, service, *options):
        """`docker service update`, waiting until the update has converged."""
        docker(
            "service",
            "update",
            "--quiet",
            "--detach=false",
            *options,
            self.service(service),
            timeout=WAIT_SECONDS,
        )

    def logs(self, service):
        return docker("service", "logs", "--raw", self.service(service)).stdout

    def remove(self):
        """The stack, its volumes and its secrets, waiting for each to go."""
        label = f"label=com.docker.stack.namespace={self.name}"
        docker("stack", "rm", self.name, check=False)
        wait_for(
            lambda: not docker("ps", "--all", "--quiet", "--filter", label).stdout,
            WAIT_SECONDS,
            f"the containers of {self.name} to go",
        )
        wait_for(
            lambda: not docker("network", "ls", "--quiet", "--filter", label).stdout,
            WAIT_SECONDS,
            f"the networks of {self.name} to go",
        )
        volumes = docker("volume", "ls", "--quiet", "--filter", label).stdout.split()
        if volumes:
            docker("volume", "rm", *volumes)
        names = [self.variables[variable] for variable in SECRETS.values()]
        docker("secret", "rm", *names, check=False)
