"""Docker Swarm for tests and benchmarks: a single-node swarm, a stack deployed
from deploy/swarm/stack.yaml under a name of its own, its tasks and their
containers, updates, logs, and everything removed afterwards.

Plain `docker` commands and the stack's own deploy.py: what an operator
would type, so a failure shows the command and its output.
"""

import ipaddress
import json
import os
import runpy
import secrets
import tempfile
from functools import partial

import trustme

from containers import contract, http, wait
from containers.commands import clean_environment, run_python
from containers.contract import SWARM_STACK
from containers.docker import docker

DEPLOY = SWARM_STACK.with_name("deploy.py")

# Every secret the stack file names: the variable holding the secret's name.
SECRETS = {
    "django_secret_key": "DJANGO_SECRET_KEY_SECRET",
    "database_password": "DATABASE_PASSWORD_SECRET",
    "tls_certificate": "TLS_CERTIFICATE_SECRET",
    "tls_key": "TLS_KEY_SECRET",
}
# The names the stack's certificate is issued for: this node, by loopback.
TLS_NAMES = ("localhost", "127.0.0.1")
# Secrets that start out as another's: the former keys (none yet), and the
# password PostgreSQL's first start gives its owner.
SAME_SECRET_AS = {
    "DJANGO_SECRET_KEY_FALLBACKS_SECRET": "DJANGO_SECRET_KEY_SECRET",
    "DATABASE_INIT_PASSWORD_SECRET": "DATABASE_PASSWORD_SECRET",
}
# Where each stack's front network takes a /24 no other network holds.
FRONT_SUBNETS = ipaddress.ip_network("10.213.0.0/16")
WAIT_SECONDS = 240
# Each look at the tasks is a few docker commands: no faster than this.
POLL_SECONDS = 0.5


def active():
    info = docker("info", "--format", "{{.Swarm.LocalNodeState}}")
    return info.stdout.strip() == "active"


def init():
    """A single-node swarm on the loopback address; True if this call made it
    (and so should leave it), False if one was active already."""
    if active():
        return False
    docker("swarm", "init", "--advertise-addr", "127.0.0.1")
    return True


def leave():
    docker("swarm", "leave", "--force")


def free_subnet():
    """A /24 of FRONT_SUBNETS that overlaps no network the engine knows, as
    deploy.py checks it: a stack beside others on one swarm."""
    in_use = runpy.run_path(str(DEPLOY))["subnets_in_use"]()
    taken = [ipaddress.ip_network(net) for nets in in_use.values() for net in nets]
    for candidate in FRONT_SUBNETS.subnets(new_prefix=24):
        if not any(candidate.overlaps(net) for net in taken if net.version == 4):
            return str(candidate)
    raise AssertionError(f"every /24 of {FRONT_SUBNETS} is taken")


class SwarmStack:
    """deploy/swarm/stack.yaml deployed as `name`, with secrets of its own.

    `variables` are the stack file's variables (APP_IMAGE, HTTPS_PORT, ...),
    written to an env file for deploy.py at each deploy, with the base
    images from a mirror (NGINX_IMAGE, POSTGRES_IMAGE) if the environment
    names them; a developer's DJANGO_* settings do not pass. The front
    network gets a subnet no other network holds, unless one is given.
    """

    def __init__(self, name, variables):
        self.name = name
        self.variables = {
            **{variable: f"{name}_{secret}" for secret, variable in SECRETS.items()},
            **variables,
        }
        for variable, same_as in SAME_SECRET_AS.items():
            self.variables.setdefault(variable, self.variables[same_as])
        if "FRONT_SUBNET" not in self.variables:
            self.variables["FRONT_SUBNET"] = free_subnet()

    @property
    def url(self):
        """nginx's published HTTPS port, on this node's loopback address."""
        return f"https://127.0.0.1:{self.variables['HTTPS_PORT']}"

    @property
    def plain_url(self):
        """nginx's published plain HTTP port, which redirects."""
        return f"http://127.0.0.1:{self.variables['HTTP_PORT']}"

    def create_secrets(self):
        """Random values, and a certificate from a certificate authority made
        now, which this process's requests then trust (`http.trust`); piped to
        the engine, never written to a file."""
        authority = trustme.CA()
        self.authority = authority.cert_pem.bytes().decode()
        http.trust(self.authority)
        issued = authority.issue_cert(*TLS_NAMES)
        values = {
            "django_secret_key": secrets.token_urlsafe(48),
            "database_password": secrets.token_urlsafe(48),
            "tls_certificate": "".join(
                pem.bytes().decode() for pem in issued.cert_chain_pems
            ),
            "tls_key": issued.private_key_pem.bytes().decode(),
        }
        for secret, variable in SECRETS.items():
            name = self.variables[variable]
            docker("secret", "create", name, "-", input=values[secret])

    def deploy(self, **changes):
        """Deploy, or redeploy with some variables changed (an update), by
        deploy.py and one env file. Images are the engine's own: no registry
        is asked for their digests."""
        self.variables.update(changes)
        mirrored = {
            name: os.environ[name]
            for name in contract.pinned_service_images((SWARM_STACK,))
            if os.environ.get(name)
        }
        lines = [f"{k}={v}\n" for k, v in {**mirrored, **self.variables}.items()]
        with tempfile.NamedTemporaryFile("w", suffix=".env") as env_file:
            env_file.writelines(lines)
            env_file.flush()
            run_python(
                *(str(DEPLOY), "--resolve-image", "never", env_file.name, self.name),
                env=clean_environment(),
            )

    def service(self, service):
        return f"{self.name}_{service}"

    def tasks(self, service):
        """The service's tasks meant to run, as the engine reports them."""
        return self._tasks(service, "--filter", "desired-state=running")

    def all_tasks(self, service):
        """Every task the service has had, stopped ones included."""
        return self._tasks(service)

    def _tasks(self, service, *filters):
        ids = docker(
            *("service", "ps", "--quiet", "--no-trunc", *filters),
            self.service(service),
        ).stdout.split()
        if not ids:
            return []
        # Swarm prunes a slot's history beyond 5 tasks: one listed a moment ago
        # may be gone, and `docker inspect` shows the others and exits 1.
        found = docker("inspect", *ids, check=False).stdout.strip()
        return json.loads(found or "[]")

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
                raise AssertionError(f"{service} rejected")
            states = [task["Status"]["State"] for task in self.tasks(service)]
            return states == ["running"] * count

        what = f"{count} running tasks of {service}"
        try:
            wait.until(settled, timeout, what, interval=POLL_SECONDS)
        except AssertionError as error:
            raise AssertionError(f"{error}\n{self.history(service)}") from None
        return self.containers(service)

    def history(self, service):
        """`docker service ps`: every task the service has had, and its error."""
        return docker(
            *("service", "ps", "--no-trunc", "--format"),
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
            if status.get("StartedAt") == previous:
                return None  # this update has not begun yet
            state = status.get("State")
            return state if state in {"completed", "rollback_completed"} else None

        what = f"the update of {service}"
        return wait.until(finished, timeout, what, interval=POLL_SECONDS)

    def inspect(self, service):
        found = docker("service", "inspect", self.service(service)).stdout
        return json.loads(found)[0]

    def update(self, service, *options):
        """`docker service update`, waiting until the update has converged."""
        docker(
            *("service", "update", "--quiet", "--detach=false", *options),
            self.service(service),
            timeout=WAIT_SECONDS,
        )

    def logs(self, service):
        return docker("service", "logs", "--raw", self.service(service)).stdout

    def remove(self):
        """The stack, its volumes and its secrets, waiting for each to go."""
        label = f"label=com.docker.stack.namespace={self.name}"

        def gone(*listing):
            return not docker(*listing, "--quiet", "--filter", label).stdout

        docker("stack", "rm", self.name, check=False)
        for kind, listing in (
            ("containers", ("ps", "--all")),
            ("networks", ("network", "ls")),
        ):
            what = f"the {kind} of {self.name} to go"
            wait.until(
                partial(gone, *listing), WAIT_SECONDS, what, interval=POLL_SECONDS
            )
        volumes = docker("volume", "ls", "--quiet", "--filter", label).stdout
        if volumes := volumes.split():
            docker("volume", "rm", *volumes)
        # Every secret made for the stack, rotated ones included, is named
        # after it.
        names = docker(
            *("secret", "ls", "--format", "{{.Name}}"),
            *("--filter", f"name={self.name}_"),
        ).stdout.split()
        if names:
            docker("secret", "rm", *names, check=False)
