"""Commands run on this machine (docker, git, wrk, Python itself), from the
checkout, with their output kept for the error they may raise.

A Python process gets exactly the environment it is given: a developer's shell
must not change what a test or a benchmark sees.
"""

import os
import subprocess
import sys

from containers import ROOT

# Read by the settings or the gunicorn config: a developer's shell must not
# change what a container, a stack or a test server is given.
APP_VARIABLES = (
    "DATABASE_",
    "DJANGO_",
    "FORWARDED_",
    "GUNICORN_",
    "LOG_FORMAT",
    "METRICS_PORT",
    "PORT",
    "PROJECT_",
    "PROMETHEUS_",
    "SENTRY_",
    "WEB_CONCURRENCY",
)


class CommandFailed(AssertionError):
    """A command failed: its command line, status and output."""


def run(*args, env=None, timeout=300, check=True, input=None, cwd=ROOT, text=True):
    """A command's result (text, or bytes); on failure, CommandFailed with its
    output."""
    result = subprocess.run(
        args,
        cwd=cwd,
        env=env,
        input=input,
        capture_output=True,
        text=text,
        timeout=timeout,
        check=False,
    )
    if check and result.returncode != 0:
        raise CommandFailed(
            f"{' '.join(map(str, args))} exited {result.returncode}:\n"
            f"{result.stdout}\n{result.stderr}"
        )
    return result


def clean_environment(**extra):
    """This process's environment without the app's variables, plus extra;
    the settings are the stack's, as in the images."""
    kept = {k: v for k, v in os.environ.items() if not k.startswith(APP_VARIABLES)}
    return {**kept, "DJANGO_SETTINGS_MODULE": "stack.settings", **extra}


def run_python(*args, env, **options):
    """This interpreter run to its end with `args`, in the checkout, with
    exactly `env` for an environment (run's options and result)."""
    return run(sys.executable, *args, env=env, **options)


def start_python(*args, env, **options):
    """This interpreter started with `args`, in the checkout, with exactly
    `env` for an environment: a Popen, with Popen's options."""
    return subprocess.Popen([sys.executable, *args], cwd=ROOT, env=env, **options)
