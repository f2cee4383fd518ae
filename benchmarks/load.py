"""Throughput and latency under load, measured with wrk and benchmarks/wrk.lua."""

import dataclasses
import json
from pathlib import Path

from benchmarks.results import BestOfRuns, LoadFigures
from benchmarks.stats import ratio
from containers.commands import run

SCRIPT = Path(__file__).with_name("wrk.lua")
MARKER = "WRK_RESULT "
# wrk's own default; named here because a timeout counts as an error.
TIMEOUT = "2s"
# One wrk thread per core of this 2-core class of machine, never more than
# there are connections.
THREADS = 2
# Seconds of load before the measured runs, so that no run pays for a cold
# server (imports on first request, connection set-up).
WARM_UP_SECONDS = 1


def parse(output):
    """The figures of one wrk run from the line wrk.lua prints."""
    line = next((line for line in output.splitlines() if line.startswith(MARKER)), None)
    if line is None:
        raise ValueError(f"no {MARKER.strip()} line in wrk's output:\n{output}")
    raw = json.loads(line.removeprefix(MARKER))
    seconds = raw["duration_us"] / 1e6
    return LoadFigures(
        requests=raw["requests"],
        requests_per_s=raw["requests"] / seconds,
        p50_ms=raw["p50_us"] / 1e3,
        p99_ms=raw["p99_us"] / 1e3,
        max_ms=raw["max_us"] / 1e3,
        errors=sum(raw["errors"].values()),
        error_kinds=raw["errors"],
        non_2xx=raw["non_2xx"],
    )


def wrk(url, connections, seconds):
    command = [
        *("wrk", "--threads", str(min(THREADS, connections))),
        *("--connections", str(connections), "--duration", f"{seconds}s"),
        *("--timeout", TIMEOUT, "--script", str(SCRIPT), url),
    ]
    result = run(*command, timeout=seconds + 60)
    return parse(result.stdout)


def measure(url, paths, connection_levels, seconds):
    """{path label: {connections: figures}} for every path at every level."""
    return {
        label: {
            str(level): wrk(url + path, level, seconds) for level in connection_levels
        }
        for label, path in paths.items()
    }


def warm_up(url, paths, connections):
    measure(url, paths, (connections,), WARM_UP_SECONDS)


def best(runs):
    """The run with the most requests per second, with every run's rate: a
    burst of load from elsewhere on the machine can only slow a run down."""
    fastest = max(runs, key=lambda figures: figures.requests_per_s)
    return BestOfRuns(
        **{f.name: getattr(fastest, f.name) for f in dataclasses.fields(fastest)},
        tries_requests_per_s=[figures.requests_per_s for figures in runs],
    )


# The ceiling is one bare app, whatever the path: its figures stand under this
# label for every endpoint.
ANY_PATH = "*"


def ratios(ours, reference):
    """ours / reference requests per second, per endpoint and connection level."""
    return {
        label: {
            level: ratio(
                figures.requests_per_s,
                reference.get(label, reference.get(ANY_PATH))[level].requests_per_s,
            )
            for level, figures in levels.items()
        }
        for label, levels in ours.items()
    }
