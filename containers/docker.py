"""The docker command, run with its output kept for the error it may raise."""

import os
import shutil
import subprocess
import uuid

from containers import ROOT

# Read by the settings or the gunicorn config: a developer's shell must not
# change what a container, a stack or a test server is given.
APP_VARIABLES = (
    *("DJANGO_", "GUNICORN_", "WEB_CONCURRENCY", "PORT", "FORWARDED_"),
    *("METRICS_PORT", "LOG_FORMAT", "SENTRY_", "PROMETHEUS_"),
)
# Every container, volume, network and compose project started here.
PREFIX = "clocktest"


class DockerError(AssertionError):
    """A docker command failed: its command line, status and output."""


def run(*args, env=None, timeout=300, check=True, input=None):
    """A command's result (text); on failure, a DockerError that shows its output."""
    result = subprocess.run(
        args,
        cwd=ROOT,
        env=env,
        input=input,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if check and result.returncode != 0:
        raise DockerError(
            f"{' '.join(map(str, args))} exited {result.returncode}:\n"
            f"{result.stdout}\n{result.stderr}"
        )
    return result


def clean_environment(**extra):
    """This process's environment without the app's variables, plus extra."""
    kept = {k: v for k, v in os.environ.items() if not k.startswith(APP_VARIABLES)}
    return {**kept, **extra}


def new_name(kind):
    """A name no other run uses, that says where it came from."""
    return f"{PREFIX}-{kind}-{uuid.uuid4().hex[:8]}"


def engine_problem():
    """None when a Docker engine answers, else why not (for a test's skip)."""
    if shutil.which("docker") is None:
        return "no docker command on PATH"
    info = run("docker", "info", "--format", "{{.ServerVersion}}", check=False)
    return None if info.returncode == 0 else f"no Docker engine: {info.stderr.strip()}"
