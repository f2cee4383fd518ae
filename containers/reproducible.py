"""`python -m containers.reproducible [VARIANT...]`: whether two builds of this
commit give the same files in each layer.

Each variant is built twice without the build cache, from compose.yaml's
recipe, with SOURCE_DATE_EPOCH set to the commit's time as the release does.
The layers of the two images are then compared entry by entry: path, type,
mode, owner, link target and content, and apart from them the modification
time. Prints one line per layer and, under it, the first entries that differ
in anything but their time; exits 1 if any does. The images are removed
afterwards.

Times are counted, not failed: a builder before BuildKit 0.13 stamps each file
a step writes with the clock, and only its `rewrite-timestamp` output option
(the release workflow's) sets them to SOURCE_DATE_EPOCH.
"""

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tarfile
import tempfile

from containers import compose, contract
from containers.commands import run
from containers.docker import docker, new_name
from containers.images import build

# What is compared of each entry of a layer, in the order entries() gives it.
FIELDS = ("type", "mode", "uid", "gid", "link", "content", "mtime")
# Differences shown per layer; the count says how many more there are.
SHOWN = 10


def commit_time():
    """The commit's time (seconds since the epoch), as the release records it."""
    return run("git", "log", "-1", "--format=%ct").stdout.strip()


def entries(layer):
    """{path: FIELDS} of a layer's tar, the content as its sha256."""
    found = {}
    with tarfile.open(fileobj=layer) as tar:
        for member in tar:
            digest = None
            if member.isfile():
                digest = hashlib.sha256(tar.extractfile(member).read()).hexdigest()
            found[member.name] = (
                member.type,
                member.mode,
                member.uid,
                member.gid,
                member.linkname,
                digest,
                member.mtime,
            )
    return found


def layers(image):
    """The entries of each of an image's layers, in order (`docker save`)."""
    with tempfile.TemporaryFile() as archive:
        subprocess.run(
            ["docker", "save", image], stdout=archive, check=True, timeout=600
        )
        archive.seek(0)
        with tarfile.open(fileobj=archive) as saved:
            (manifest,) = json.load(saved.extractfile("manifest.json"))
            return [entries(saved.extractfile(path)) for path in manifest["Layers"]]


def differences(first, second):
    """One line per path whose entry differs between two layers in anything but
    its time, and the number of paths that differ in time alone."""
    lines, times = [], 0
    for path in sorted(first.keys() | second.keys()):
        a, b = first.get(path), second.get(path)
        if a is None or b is None:
            lines.append(f"{path}: only in build {'2' if a is None else '1'}")
            continue
        changed = [name for name, x, y in zip(FIELDS, a, b, strict=True) if x != y]
        if changed == ["mtime"]:
            times += 1
        elif changed:
            lines.append(f"{path}: {', '.join(changed)}")
    return lines, times


def compare(variant):
    """Build the variant twice; print how each layer compares; True if all match."""
    web = compose.service(variant)
    tags = [f"{new_name('reproducible')}:{variant}" for _ in range(2)]
    try:
        first, second = (layers(build(web, tag=tag, no_cache=True)[0]) for tag in tags)
    finally:
        docker("rmi", "--force", *tags, check=False)
    same = len(first) == len(second)
    print(f"{variant}: {len(first)} and {len(second)} layers")
    for number, (a, b) in enumerate(zip(first, second, strict=False), start=1):
        lines, times = differences(a, b)
        same = same and not lines
        verdict = "the same" if not lines else f"{len(lines)} differ"
        print(
            f"  layer {number}: {len(a)} entries, {verdict}; "
            f"{times} differ in modification time alone"
        )
        for line in lines[:SHOWN]:
            print(f"    {line}")
        if len(lines) > SHOWN:
            print(f"    ... and {len(lines) - SHOWN} more")
    return same


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m containers.reproducible", description=__doc__
    )
    parser.add_argument("variants", nargs="*", metavar="VARIANT")
    known = list(contract.variants())
    names = parser.parse_args(argv).variants or known
    for name in set(names) - set(known):
        parser.error(f"no variant {name!r}: one of {', '.join(known)}")
    os.environ.setdefault("SOURCE_DATE_EPOCH", commit_time())
    results = [compare(name) for name in names]
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
