"""Building an image of a variant, and looking into an image's files."""

import os
import re
import subprocess
import tarfile
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from containers.docker import docker, new_name


def build(web, tag=None, no_cache=False):
    """`docker build` of compose's build recipe for a service (compose.service):
    (image id, seconds, BuildKit's plain progress output). The id, not the tag,
    names what was built: a concurrent build elsewhere may move a tag."""
    context = Path(web["build"]["context"])
    arguments = [
        f"--build-arg={name}={value}"
        for name, value in (web["build"].get("args") or {}).items()
        if value is not None
    ]
    since = time.monotonic()
    result = docker(
        *("build", "--progress=plain", "--tag", tag or web["image"]),
        *("--file", str(context / web["build"]["dockerfile"]), *arguments),
        *(["--no-cache"] if no_cache else []),
        str(context),
        env={**os.environ, "DOCKER_BUILDKIT": "1"},
        timeout=1800,
    )
    seconds = time.monotonic() - since
    output = result.stderr + result.stdout
    return built_image(output), seconds, output


def built_image(output):
    """The image id that BuildKit's plain progress reports writing."""
    return re.findall(r"writing image (sha256:[0-9a-f]{64})", output)[-1]


@contextmanager
def build_context_image():
    """An image holding nothing but the build context, as the engine receives
    it after .dockerignore, under /context/; removed afterwards."""
    tag = f"{new_name('context')}:latest"
    docker(
        *("build", "--quiet", "--tag", tag, "--file", "-", "."),
        input="FROM scratch\nCOPY . /context/\n",
        timeout=120,
    )
    try:
        yield tag
    finally:
        docker("rmi", tag, check=False)


def filesystem(image):
    """{path: TarInfo} of an image's flattened filesystem."""
    container = docker("create", image, "none").stdout.strip()
    try:
        with tempfile.TemporaryFile() as archive:
            subprocess.run(
                ["docker", "export", container], stdout=archive, check=True, timeout=120
            )
            archive.seek(0)
            with tarfile.open(fileobj=archive) as tar:
                return {member.name.rstrip("/"): member for member in tar.getmembers()}
    finally:
        docker("rm", container, check=False)
