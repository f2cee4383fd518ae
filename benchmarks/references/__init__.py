"""Reference servers: the clock's page from the stacks a user might run instead.

This folder is their build context: flask/ and uvicorn/ hold each app and its
hashed pins, page/ the markup and time they share, and the Dockerfile builds
either one (its .dockerignore lets nothing else in, this module included).
Each is built on the base image of the Alpine variant, with the user id and
port that variant's image declares, so that the figures differ by the stack
alone; benchmarks/side_by_side.py measures them beside both images.
"""

from pathlib import Path

from containers import contract, images

CONTEXT = Path(__file__).resolve().parent
FLASK, UVICORN = "flask", "uvicorn"
NAMES = (FLASK, UVICORN)
# The variant whose base image, user and port the references take.
BASE_VARIANT = "alpine"


def base():
    """The base image the references are built on."""
    return contract.variants()[BASE_VARIANT].final_base()


def build(name, ours):
    """The image id of reference `name`, on the base that BASE_VARIANT's build
    resolves and with the user and port of `ours` (that variant's image, a
    tag), tagged beside it as `<repository>:reference-<name>`."""
    declared = contract.image(ours)
    recipe = {
        "image": f"{ours.rpartition(':')[0]}:reference-{name}",
        "build": {
            "context": str(CONTEXT),
            "dockerfile": "Dockerfile",
            "args": {
                "BASE_IMAGE": base(),
                "APP_UID": declared.uid,
                "PORT": declared.port,
                "REFERENCE": name,
            },
        },
    }
    image_id, _, _ = images.build(recipe)
    return image_id
