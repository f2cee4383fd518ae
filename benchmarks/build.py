"""Build times: a cold build, and a rebuild after a one-line change to app code.

The change is made in a temporary copy of the checkout, never in the work tree;
the rebuilt image gets a tag of its own and is removed afterwards.
"""

import re
import shutil
import tempfile
from pathlib import Path

from benchmarks.results import Rebuild
from containers import ROOT, compose, images
from containers.commands import run
from containers.docker import docker, new_name

# The file the one-line change goes into: app code, read by every request.
CHANGED_FILE = "apps/clock/views.py"
# The dependency step of both Dockerfiles: the one that must stay cached.
DEPENDENCY_STEP = "--requirement /tmp/requirements.txt"


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
        if (ROOT / name).is_file():
            (destination / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, destination / name)


def rebuild_after_code_change(variant):
    """Seconds to rebuild after one line of app code changes, and whether the
    dependency step came from the cache."""
    tag = f"{new_name('rebuild')}:{variant}"
    with tempfile.TemporaryDirectory(prefix="moscow-bench-") as temporary:
        copy = Path(temporary)
        checkout_copy(copy)
        web = compose.service(variant, copy)
        try:
            # The copy's first build fills nothing new: its layers are the
            # checkout's, found in the cache by content.
            images.build(web, tag)
            with (copy / CHANGED_FILE).open("a", encoding="utf-8") as code:
                code.write("# a one-line change, made by the benchmark\n")
            _, seconds, output = images.build(web, tag)
        finally:
            docker("rmi", tag, check=False)
    steps = cached_steps(output)
    return Rebuild(
        seconds=seconds,
        changed_file=CHANGED_FILE,
        dependencies_cached=any(DEPENDENCY_STEP in step for step in steps),
        cached_steps=[" ".join(step.split())[:72] for step in steps],
    )
