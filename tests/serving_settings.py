"""The project's settings with STATIC_ROOT where the test run collected the
static files (TEST_STATIC_ROOT), so that no test writes into the checkout."""

import os

from stack.settings import *  # noqa: F403

STATIC_ROOT = os.environ["TEST_STATIC_ROOT"]
