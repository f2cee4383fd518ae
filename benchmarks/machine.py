"""The machine and engine a run was measured on, for the JSON's header."""

import json
import os
import platform
import re
from pathlib import Path

from benchmarks.results import Engine, Machine
from containers.commands import run
from containers.docker import docker


def _first(pattern, path):
    match = re.search(pattern, Path(path).read_text(encoding="utf-8"), re.MULTILINE)
    return match.group(1).strip() if match else None


def describe():
    """(Machine, Engine) of this run."""
    memory_kb = int(_first(r"^MemTotal:\s+(\d+) kB", "/proc/meminfo"))
    engine = json.loads(docker("version", "--format", "{{json .}}").stdout)
    # wrk prints its version on its usage screen and exits 1.
    wrk = run("wrk", "--version", check=False).stdout.splitlines()[0]
    return (
        Machine(
            cores=os.cpu_count(),
            cpu=_first(r"^model name\s*:(.*)$", "/proc/cpuinfo"),
            memory_gb=memory_kb / 1e6,
            kernel=platform.release(),
        ),
        Engine(
            docker=engine["Server"]["Version"],
            api=engine["Server"]["ApiVersion"],
            compose=docker("compose", "version", "--short").stdout.strip(),
            load_generator=wrk,
        ),
    )
