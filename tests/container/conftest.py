"""Container tests: selected with `-m container`; they need a Docker engine.

Without an engine they skip, which CI (`--fail-on-skip`) turns into a failure.
"""

import shutil
import subprocess

import pytest

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
