"""Drives the images: build, run hardened as compose does, wait, exec, tear down.

The container suite (tests/container/) and the benchmark harness (benchmarks/)
both start containers through this package and nothing else:

    contract   the variants, their Dockerfiles, base images and traits
               (docker/variants.yaml) and what an image says of itself
    images     building a variant, the build context, an image's files
    compose    compose.yaml's resolved service, its hardening, a whole stack
    swarm      deploy/swarm/stack.yaml on a single-node swarm: tasks, updates
    https      compose.https.yaml with Caddy, its certificate from Pebble, a client
    container  one `docker run` container: exec, probes, state, removal
    processes  gunicorn's master and workers inside a container
    wait       the one loop that waits for something to answer
    http       one HTTP request, answered as it comes
    docker     the docker command itself

Scripts that run inside a container are files of their own in probes/.
`python -m containers base-images` prints the base images the Dockerfiles pin.
"""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Figures from tests and benchmarks (git-ignored); `make report` publishes them.
RESULTS = ROOT / "test-results"
