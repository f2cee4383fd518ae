"""The host's programs that the tests, the benchmarks and `make lint` run.

`python -m containers host-tools` checks them all; the benchmarks check their
own before they start. Either names what is missing and where it comes from.
"""

import shutil

# program: (what runs it, where a machine gets it)
TOOLS = {
    "docker": (
        "the container suite, the PostgreSQL tests, the benchmarks, make lint",
        "Docker Engine with Compose v2",
    ),
    "git": ("the repository hygiene tests", "Debian package git"),
    "chromium": ("the browser tests", "Debian package chromium"),
    "kubectl": (
        "the Kubernetes tests and make kubelint",
        "the Kubernetes project's packages",
    ),
    "wrk": ("the benchmarks' load generator", "Debian package wrk"),
}
BENCHMARKS = ("docker", "wrk")


def missing(names=tuple(TOOLS)):
    """Those of `names` not on PATH, each as `name (what runs it; where from)`."""
    return [
        f"{name} ({TOOLS[name][0]}; {TOOLS[name][1]})"
        for name in names
        if shutil.which(name) is None
    ]
