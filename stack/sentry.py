"""Errors to Sentry, through sentry-sdk's Django integration: imported by the
settings only when SENTRY_DSN is set.

Errors alone: no performance tracing (it would cost every request), and no
personal data (addresses, cookies, users) unless a team opts in itself.
"""

import sentry_sdk
from sentry_sdk.integrations.django import DjangoIntegration


def start(dsn):
    sentry_sdk.init(
        dsn=dsn,
        integrations=[DjangoIntegration()],
        send_default_pii=False,
    )
