"""The docker command, and the names of what it starts here."""

import shutil
import uuid

from containers.commands import run

# Every container, volume, network and compose project started here.
PREFIX = "clocktest"


def docker(*args, **options):
    """`docker args...`: its result, or CommandFailed with its output
    (commands.run's options)."""
    return run("docker", *args, **options)


def new_name(kind):
    """A name no other run uses, that says where it came from."""
    return f"{PREFIX}-{kind}-{uuid.uuid4().hex[:8]}"


def engine_problem():
    """None when a Docker engine answers, else why not (for a test's skip)."""
    if shutil.which("docker") is None:
        return "no docker command on PATH"
    info = docker("info", "--format", "{{.ServerVersion}}", check=False)
    return None if info.returncode == 0 else f"no Docker engine: {info.stderr.strip()}"
