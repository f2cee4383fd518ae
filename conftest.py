"""Suite-wide pytest set-up: collected static files, a PostgreSQL server for
the tests that ask for one, and CI's rule on skips."""

import pytest
from django.core.management import call_command
from django.test import override_settings

# A real PostgreSQL server for the tests that need one (tests/postgres.py).
pytest_plugins = ["tests.postgres"]


def pytest_addoption(parser):
    parser.addoption(
        "--fail-on-skip",
        action="store_true",
        help="Count every skipped test as a failure (CI: nothing may be left out).",
    )


def pytest_sessionfinish(session, exitstatus):
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if session.config.getoption("--fail-on-skip") and skipped:
        reporter.write_line(f"--fail-on-skip: {len(skipped)} test(s) skipped", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture(scope="session", autouse=True)
def collected_static(tmp_path_factory):
    """Static files collected as the image build does, so that pages link the
    hashed names and whitenoise serves them exactly as in production."""
    root = tmp_path_factory.mktemp("staticfiles")
    with override_settings(STATIC_ROOT=root):
        call_command("collectstatic", interactive=False, verbosity=0)
        yield root
