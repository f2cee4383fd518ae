"""compose.yaml, read and run by compose itself.

`service()` is compose's resolved `web` service for a variant; `start_app()`
runs its image by plain `docker run` with the same hardening, read from that
configuration, so that nothing here restates it. A `ComposeProject` is the
whole of compose.yaml brought up under a project name of its own, on a free
port.
"""

import json
from dataclasses import dataclass, field
from pathlib import Path

from containers import ROOT, contract
from containers.commands import clean_environment
from containers.container import Container
from containers.docker import docker, new_name
from containers.http import free_port, request

# Seconds for `up --wait` to see every service healthy.
UP_WITHIN = 180


def environment(variant, **extra):
    return clean_environment(
        APP_VARIANT=variant,
        # compose's Bake builder needs buildx >= 0.17; its classic path builds
        # the same Dockerfiles with BuildKit.
        COMPOSE_BAKE="false",
        **extra,
    )


def service(variant, directory=ROOT):
    """compose's resolved `web` service for a variant, from directory's compose.yaml."""
    config = docker(
        *("compose", "--project-directory", str(directory)),
        *("--file", str(directory / "compose.yaml"), "config", "--format", "json"),
        env=environment(variant),
    )
    return json.loads(config.stdout)["services"]["web"]


def hardening(web):
    """compose's read_only, tmpfs, cap_drop, security_opt and init as run flags."""
    flags = ["--read-only"] if web.get("read_only") else []
    flags += [f"--tmpfs={path}" for path in web.get("tmpfs", [])]
    flags += [f"--cap-drop={cap}" for cap in web.get("cap_drop", [])]
    flags += [f"--security-opt={opt}" for opt in web.get("security_opt", [])]
    flags += ["--init"] if web.get("init") else []
    return flags


def start_app(web, *options, volume=None, env=None, command=(), kind="app"):
    """The service's image, run as compose runs it (hardened, its port
    published on loopback), with `volume` on the image's data path if given."""
    image = contract.image(web["image"])
    mounts = [f"--volume={volume}:{image.data_dir}"] if volume else []
    return Container.start(
        web["image"],
        *hardening(web),
        *mounts,
        *options,
        env=env,
        command=command,
        publish=image.port,
        kind=kind,
    )


@dataclass
class ComposeProject:
    """compose.yaml brought up as one variant, under a project name of its own."""

    variant: str
    project: str = field(default_factory=lambda: new_name("stack"))
    port: int = field(default_factory=free_port)
    # Where compose.yaml is: this checkout, or a project the stack was applied to.
    directory: Path = ROOT
    # Variables for compose beyond the variant and the port (LOG_FORMAT=json).
    env: dict = field(default_factory=dict)

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def compose(self, *args, timeout=600, check=True, **options):
        """`docker compose args...` (commands.run's options: input, text)."""
        return docker(
            *("compose", "--project-name", self.project, *args),
            env=environment(self.variant, HOST_PORT=str(self.port), **self.env),
            timeout=timeout,
            check=check,
            cwd=self.directory,
            **options,
        )

    def up(self, variant=None):
        """Built if need be, started, and healthy (compose's own --wait)."""
        self.variant = variant or self.variant
        self.compose(
            "up", "--detach", "--build", "--wait", "--wait-timeout", str(UP_WITHIN)
        )
        return self

    def down(self, volumes=False):
        self.compose("down", *(["--volumes"] if volumes else []), "--timeout", "40")

    def config(self):
        """The resolved `web` service."""
        return json.loads(self.compose("config", "--format", "json").stdout)[
            "services"
        ]["web"]

    def image(self):
        """The tag compose.yaml gives this variant's image."""
        return self.config()["image"]

    def container(self):
        """The `web` service's container, running or not."""
        name = self.compose("ps", "--all", "--quiet", "web").stdout.strip()
        return Container(name, self.url)

    def get(self, path, **kwargs):
        return request(self.url + path, **kwargs)

    def logs(self):
        return self.compose("logs", "--no-color", "web").stdout
