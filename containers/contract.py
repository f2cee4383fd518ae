"""The image contract, read from where it is declared, never restated.

docker/variants.yaml declares the variants: each one's Dockerfile, the build
arguments that name its base images, and its traits (`x-traits`). Each
Dockerfile pins the default of those arguments; an image says its own user,
port and data path (`docker image inspect`).
"""

import json
import os
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from containers import ROOT
from containers.docker import docker

VARIANTS_FILE = ROOT / "docker" / "variants.yaml"
# The stacks that run images beside the app (its database, a proxy): each
# image field is `${VARIABLE:-pinned reference}`, overridable from outside.
SWARM_STACK = ROOT / "deploy" / "swarm" / "stack.yaml"
HTTPS_STACK = ROOT / "compose.https.yaml"
# compose.https.yaml pointed at an ACME test server (Pebble), for the tests.
ACME_TEST_STACK = ROOT / "tests" / "container" / "compose.pebble.yaml"
STACK_FILES = (
    ROOT / "docker" / "compose" / "postgres.yaml",
    HTTPS_STACK,
    ACME_TEST_STACK,
    SWARM_STACK,
)
PINNED_IMAGE = re.compile(r"\$\{(\w+_IMAGE):-([^}\s]+:[^}\s]+)\}")
# A Dockerfile's build arguments above its first FROM, and the stages' bases.
ARG = re.compile(r"^ARG (\w+)(?:=(\S+))?\s*$", flags=re.MULTILINE)
FROM = re.compile(r"^FROM \$\{(\w+)\}", flags=re.MULTILINE)


@dataclass(frozen=True)
class Variant:
    name: str
    dockerfile: Path
    base_arguments: tuple
    traits: dict

    def pinned(self):
        """{build argument: pinned base image} from the Dockerfile's first lines."""
        text = self.dockerfile.read_text(encoding="utf-8")
        head = text[: FROM.search(text).start()]
        return {
            name: default
            for name, default in ARG.findall(head)
            if name in self.base_arguments
        }

    def base_images(self):
        """{build argument: base image} as a build gets them: the environment's
        value, as compose passes it, or else the pinned default."""
        return {
            name: os.environ.get(name) or pinned
            for name, pinned in self.pinned().items()
        }

    def final_base(self):
        """The base image of the last stage: the one the image is built on."""
        text = self.dockerfile.read_text(encoding="utf-8")
        return self.base_images()[FROM.findall(text)[-1]]


@cache
def variants():
    """{name: Variant}, in the order docker/variants.yaml declares them."""
    declared = yaml.safe_load(VARIANTS_FILE.read_text(encoding="utf-8"))["services"]
    found = {}
    for name, service in declared.items():
        if "x-traits" not in service:
            raise ValueError(f"{VARIANTS_FILE.name}: {name} declares no x-traits")
        build = service["build"]
        found[name] = Variant(
            name=name,
            dockerfile=(
                VARIANTS_FILE.parent / build["context"] / build["dockerfile"]
            ).resolve(),
            base_arguments=tuple(build.get("args") or ()),
            traits=service["x-traits"],
        )
    return found


@cache
def pinned_service_images(files=STACK_FILES):
    """{variable: pinned reference} of the images the stacks (or the stack
    files given) run beside the app."""
    found = {}
    for path in files:
        for name, reference in PINNED_IMAGE.findall(path.read_text(encoding="utf-8")):
            if found.setdefault(name, reference) != reference:
                raise ValueError(f"{path.name} pins {name} differently: {reference}")
    return found


def service_image(name):
    """The image a stack runs for `name` (POSTGRES_IMAGE...): the environment's
    value, as compose takes it, or else the pinned one."""
    return os.environ.get(name) or pinned_service_images()[name]


def plain_tag(reference):
    """image:tag of image:tag@sha256:..., the form a local stand-in carries."""
    return reference.split("@", 1)[0]


@dataclass(frozen=True)
class Image:
    """What an image says of itself."""

    id: str
    user: str
    uid: int
    gid: int
    port: int | None
    data_dir: str | None
    size_mb: float
    layers: int
    from_registry: bool
    config: dict


def image(reference):
    """An image's own declarations (USER, ENV PORT and DJANGO_DATA_DIR, EXPOSE)."""
    facts = json.loads(docker("image", "inspect", reference).stdout)[0]
    config = facts["Config"]
    env = dict(item.split("=", 1) for item in config.get("Env") or ())
    user = config.get("User") or "0"
    uid, _, gid = user.partition(":")
    exposed = [int(port.split("/")[0]) for port in config.get("ExposedPorts") or {}]
    return Image(
        id=facts["Id"],
        user=user,
        uid=int(uid),
        gid=int(gid or uid),
        port=int(env["PORT"]) if "PORT" in env else next(iter(exposed), None),
        data_dir=env.get("DJANGO_DATA_DIR"),
        size_mb=facts["Size"] / 1e6,
        layers=len(facts["RootFS"]["Layers"]),
        # A pulled image has a registry digest; a stand-in built here has none.
        from_registry=bool(facts["RepoDigests"]),
        config=config,
    )
