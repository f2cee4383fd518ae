"""Container tests: selected with `-m container`; they need a Docker engine.

Without an engine they skip, which CI (`--fail-on-skip`) turns into a failure.
"""

import shutil
import subprocess

import pytest

from tests.container.report import Recorder, write_docker_md
from tests.container.stack import Stack, variants


@pytest.hookimpl(tryfirst=True)  # before `-m` selects by marker
def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/container/" in item.nodeid:
            item.add_marker(pytest.mark.container)


@pytest.fixture(scope="session")
def engine():
    if shutil.which("docker") is None:
        pytest.skip("no docker command")
    if subprocess.run(["docker", "info"], capture_output=True, timeout=30).returncode:
        pytest.skip("no Docker engine answers")


@pytest.fixture(scope="session", params=variants())
def variant(request, engine):
    return request.param


@pytest.fixture(scope="session")
def stack(variant):
    """The variant's compose stack, up and healthy, shared by the read-only tests."""
    running = Stack(variant).up()
    yield running
    running.down(volumes=True)


@pytest.fixture
def fresh_stack(variant):
    """A stack of its own, for a test that stops, restarts or switches it."""
    own = Stack(variant)
    yield own
    own.down(volumes=True)


def pytest_addoption(parser):
    parser.addoption(
        "--full-load",
        action="store_true",
        help="Run the load and fault tests for a minute each, not a few seconds.",
    )


@pytest.fixture(scope="session")
def load_seconds(request):
    """How long each load runs: seconds by default (CI), a minute with --full-load."""
    return 60 if request.config.getoption("--full-load", default=False) else 5


@pytest.fixture(scope="session")
def reliability():
    """Where the reliability tests put their figures; saved to reports/ and
    DOCKER.md when the session ends."""
    recorder = Recorder()
    yield recorder
    if recorder.recorded:
        write_docker_md(recorder.save())
