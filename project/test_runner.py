"""`python manage.py test` runs pytest, so the two commands are one suite.

pytest-django sets up the test database itself; this runner only hands the
command line over to pytest and returns its exit status. pytest runs in a
process of its own, under the settings pyproject.toml names (the containers'
stack.settings): this one has loaded the project's own already.
"""

import os
import subprocess
import sys


class PytestRunner:
    def __init__(self, verbosity=1, failfast=False, keepdb=False, **kwargs):
        self.verbosity = verbosity
        self.failfast = failfast
        self.keepdb = keepdb

    @classmethod
    def add_arguments(cls, parser):
        parser.add_argument(
            "--keepdb", action="store_true", help="Keep the test database between runs."
        )

    def run_tests(self, test_labels, **kwargs):
        argv = []
        if self.verbosity == 0:
            argv.append("--quiet")
        elif self.verbosity > 1:
            argv.append("-" + "v" * (self.verbosity - 1))
        if self.failfast:
            argv.append("--exitfirst")
        if self.keepdb:
            argv.append("--reuse-db")
        argv.extend(test_labels)
        env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
        return subprocess.call([sys.executable, "-m", "pytest", *argv], env=env)  # noqa: S603
