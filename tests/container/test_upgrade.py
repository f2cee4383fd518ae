"""An upgrade in place: the image of an earlier release fills a data volume,
and the current image serves that volume with the visit count and the
generated secret key it found there, in each variant."""

import os
import subprocess

import pytest

from containers import ROOT, compose
from containers.container import volume

# The last release on SQLite alone, before PostgreSQL and the swarm stack.
PREVIOUS_RELEASE = "a0d7844dcfefd4ae0c1e4cbf76d5a9c1f40d7339"
VISITS = 12


@pytest.fixture
def previous_image(variant, web):
    """The variant's image built from the earlier release's own sources and
    Dockerfile, on the same base images as the current one."""
    tag = f"{web['image'].rpartition(':')[0]}-previous:{variant.name}"
    sources = subprocess.run(
        ["git", "archive", PREVIOUS_RELEASE],
        cwd=ROOT,
        capture_output=True,
        check=True,
        timeout=60,
    ).stdout
    arguments = [
        f"--build-arg={name}={image}" for name, image in variant.base_images().items()
    ]
    built = subprocess.run(
        [
            *("docker", "build", "--quiet", f"--tag={tag}"),
            f"--file=docker/{variant.dockerfile.name}",
            *arguments,
            "-",
        ],
        env={**os.environ, "DOCKER_BUILDKIT": "1"},
        input=sources,
        capture_output=True,
        timeout=900,
        check=False,
    )
    assert built.returncode == 0, built.stderr.decode()
    yield tag
    subprocess.run(["docker", "rmi", tag], capture_output=True, check=False)


def test_the_current_image_serves_the_previous_releases_volume(
    web, image, previous_image
):
    key_file = f"{image.data_dir}/secret_key"
    with volume() as data:
        with compose.start_app({**web, "image": previous_image}, volume=data) as old:
            old.wait_healthy()
            for _ in range(VISITS):
                assert old.get("/").status == 200
            key = old.read_file(key_file)
            old.stop()
        with compose.start_app(web, volume=data) as new:
            new.wait_healthy()
            assert new.get("/api/time").json()["visits"] == VISITS
            assert new.read_file(key_file) == key
            assert new.get("/").status == 200
            assert new.get("/api/time").json()["visits"] == VISITS + 1
