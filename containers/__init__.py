"""Drives the images: build, run hardened as compose does, wait, exec, tear down.

The container suite (tests/container/) and the benchmark harness (benchmarks/)
both start containers through this package and nothing else; the tests start
Python processes through it too:

    contract   the variants, their Dockerfiles, base images and traits
               (docker/variants.yaml) and what an image says of itself
    images     building a variant, the build context, an image's files
    compose    compose.yaml's resolved service, its hardening, and
               ComposeProject: the whole of compose.yaml under a name of its own
    swarm      SwarmStack: deploy/swarm/stack.yaml on a single-node swarm,
               its tasks, updates and removal
    https      compose.https.yaml with Caddy, its certificate from Pebble, a client
    container  one `docker run` container: exec, probes, state, removal
    processes  gunicorn's master and workers inside a container (gunicorn_pids)
    wait       the one loop that waits for something to answer
    http       one HTTP request, answered as it comes
    docker     the docker command, and the names of what it starts
    commands   any command on this machine (git, wrk, docker), and Python
               run with exactly the environment it is given
    host       the host's programs the tests, benchmarks and lint run

Scripts that run inside a container are files of their own in probes/.
`python -m containers base-images` prints the base images the Dockerfiles pin.
ROOT is the checkout, for every tool and test.
"""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Figures from tests and benchmarks (git-ignored); `make report` publishes them.
RESULTS = ROOT / "test-results"
