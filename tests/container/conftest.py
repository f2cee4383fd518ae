"""Container tests: selected with `-m container`; they need a Docker engine.

Without an engine they skip, which CI (`--fail-on-skip`) turns into a failure.
The figures the reliability tests record go to test-results/reliability.json;
`make report` carries them into reports/ and DOCKER.md.
"""

import json
from datetime import UTC, datetime

import pytest

from containers import RESULTS, contract
from containers.compose import ComposeProject
from containers.docker import engine_problem


@pytest.hookimpl(tryfirst=True)  # before `-m` selects by marker
def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/container/" in item.nodeid:
            item.add_marker(pytest.mark.container)


@pytest.fixture(scope="session")
def engine():
    if problem := engine_problem():
        pytest.skip(problem)


@pytest.fixture(scope="session", params=list(contract.variants()))
def variant(request, engine):
    return contract.variants()[request.param]


@pytest.fixture(scope="session")
def stack(variant):
    """The variant's compose stack, up and healthy, shared by the read-only tests."""
    running = ComposeProject(variant.name).up()
    yield running
    running.down(volumes=True)


@pytest.fixture
def fresh_stack(variant):
    """A stack of its own, for a test that stops, restarts or switches it."""
    own = ComposeProject(variant.name)
    yield own
    own.down(volumes=True)


@pytest.fixture(scope="session")
def web(stack):
    """compose's resolved service, for the containers a test runs by itself."""
    return stack.config()


@pytest.fixture(scope="session")
def image(web):
    """What the variant's image declares: user, port, data path."""
    return contract.image(web["image"])


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
    """Where the reliability tests put their figures:
    {variant: {topic: {name: figures}}}, saved when the session ends."""
    recorded = {}
    yield (
        lambda variant, topic, name, figures: (
            recorded.setdefault(variant, {})
            .setdefault(topic, {})
            .update({name: figures})
        )
    )
    if recorded:
        RESULTS.mkdir(exist_ok=True)
        path = RESULTS / "reliability.json"
        run = {
            "generated": datetime.now(UTC).isoformat(timespec="seconds"),
            "variants": recorded,
        }
        path.write_text(json.dumps(run, indent=2) + "\n")
