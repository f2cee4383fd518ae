"""Build times: a cold build, and a rebuild after a one-line change to app code.

The change is made in a temporary copy of the checkout, never in the work tree;
the rebuilt image gets a tag of its own and is removed afterwards.
"""

import os
import re
import shutil
import tempfile
import time
from pathlib import Path

from benchmarks import containers
from tests.container.stack import ROOT, run

# The file the one-line change goes into: app code, read by every request.
CHANGED_FILE = "apps/clock/views.py"
# The dependency step of both Dockerfiles: the one that must stay cached.
DEPENDENCY_STEP = "--requirement /tmp/requirements.txt"


def build(web, tag, no_cache=False):
    """`docker build` of compose's build recipe, with BuildKit's plain progress
    (compose's Bake path needs a newer buildx); (seconds, output)."""
    context = Path(web["build"]["context"])
    arguments = [
        f"--build-arg={name}={value}"
        for name, value in (web["build"].get("args") or {}).items()
        if value is not None
    ]
    command = [
        *("docker", "build", "--progress=plain", "--tag", tag),
        *("--file", str(context / web["build"]["dockerfile"])),
        *arguments,
        *(["--no-cache"] if no_cache else []),
        str(context),
    ]
    since = time.monotonic()
    result = run(*command, env={**os.environ, "DOCKER_BUILDKIT": "1"}, timeout=1800)
    return time.monotonic() - since, result.stderr + result.stdout


def built_image(output):
    """The image id BuildKit's plain progress reports writing: the harness
    measures by id, since concurrent builds elsewhere may move the tag."""
    return re.findall(r"writing image (sha256:[0-9a-f]{64})", output)[-1]


def cached_steps(output):
    """The titles of the steps BuildKit's plain progress marks CACHED."""
    titles = dict(re.findall(r"^#(\d+) (\[.*)$", output, flags=re.MULTILINE))
    cached = re.findall(r"^#(\d+) CACHED$", output, flags=re.MULTILINE)
    return [titles[step] for step in cached if step in titles]


def checkout_copy(destination):
    """The files git knows of (tracked, or new and not ignored), copied."""
    listed = run(
        "git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"
    ).stdout
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_file():
            target = destination / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)


def rebuild_after_code_change(variant):
    """Seconds to rebuild after one line of app code changes, and whether the
    dependency step came from the cache."""
    tag = f"{containers.PREFIX}-rebuild:{variant}"
    with tempfile.TemporaryDirectory(prefix="moscow-bench-") as temporary:
        copy = Path(temporary)
        checkout_copy(copy)
        web = containers.service(variant, copy)
        try:
            # The copy's first build fills nothing new: its layers are the
            # checkout's, found in the cache by content.
            build(web, tag)
            with (copy / CHANGED_FILE).open("a", encoding="utf-8") as code:
                code.write("# a one-line change, made by the benchmark\n")
            seconds, output = build(web, tag)
        finally:
            run("docker", "rmi", tag, check=False)
    steps = cached_steps(output)
    return {
        "seconds": seconds,
        "changed_file": CHANGED_FILE,
        "dependencies_cached": any(DEPENDENCY_STEP in step for step in steps),
        # Titles cut short: enough to tell the steps apart in the JSON.
        "cached_steps": [" ".join(step.split())[:72] for step in steps],
    }


def cold_build(web):
    """A build of the variant's own tag with --no-cache (pip's download cache,
    a cache mount, is kept: the time is building, not downloading)."""
    seconds, output = build(web, web["image"], no_cache=True)
    return {"seconds": seconds, "image_id": built_image(output)}
