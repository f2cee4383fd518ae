"""What the stack needs from the project's environment, checked before it is
used: a package that is missing or too old stops the image build, or the
start, with one line naming it and the fix, not with a traceback from deep
inside an import, and never with a container that restarts for ever.

`python -m stack.preflight` prints each problem as a `preflight:` line and
exits 1 (the images' build runs it before collectstatic); stack.settings calls
check() and check_time_zone(). Only the standard library is imported here, so
that the check still speaks when Django itself is missing.
"""

import importlib.metadata
import os
import re
import sys
import zoneinfo

# The oldest release of each that the stack runs on.
REQUIRED = {
    "Django": (5, 2),
    # docker/gunicorn.conf.py calls forwarded_allow_networks(), new in 25.0.
    "gunicorn": (25,),
    "whitenoise": (6,),
}


def _wanted(environ):
    """The packages the environment asks for, each with the reason."""

    def given(name):
        return bool(environ.get(name, "").strip())

    if given("METRICS_PORT"):
        yield "prometheus-client", "METRICS_PORT is set"
    if given("DATABASE_URL"):
        yield "psycopg", "DATABASE_URL is set"
    if environ.get("LOG_FORMAT", "").strip().upper() == "JSON":
        yield "python-json-logger", "LOG_FORMAT is json"
    if given("SENTRY_DSN"):
        yield "sentry-sdk", "SENTRY_DSN is set"


def _installed(name):
    """The distribution's version, or None when it is not installed."""
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return None


def _release(version):
    """The leading release numbers: "5.2.1" is (5, 2, 1), "6.0rc1" is (6, 0)."""
    match = re.match(r"\d+(?:\.\d+)*", version)
    return tuple(int(number) for number in match[0].split(".")) if match else ()


def problems(environ=os.environ):
    """One line for each package that is missing or too old."""
    found = []
    for name, minimum in REQUIRED.items():
        needed = f"{name}>={'.'.join(map(str, minimum))}"
        if (version := _installed(name)) is None:
            found.append(
                f"{name} is not installed: the stack needs {needed}; "
                "add it to your requirements."
            )
        elif _release(version) < minimum:
            found.append(
                f"{name} {version} is too old: the stack needs {needed}; "
                "pin a newer one in your requirements."
            )
    for name, reason in _wanted(environ):
        if _installed(name) is None:
            found.append(
                f"{name} is not installed: the stack needs it when {reason}; "
                "add it to your requirements."
            )
    return found


def _error(line):
    """ImproperlyConfigured, which manage.py and gunicorn's config print as one
    line. Without Django there is none to raise: a RuntimeError then, not an
    ImportError, which an optional import's `except ImportError` would take
    for a module it may do without, nor a SystemExit, which would decide for
    the caller how to stop."""
    try:
        from django.core.exceptions import ImproperlyConfigured
    except ImportError:
        return RuntimeError(line)
    return ImproperlyConfigured(line)


def check(environ=os.environ):
    """The problems on one line, raised; nothing when there are none."""
    if found := problems(environ):
        raise _error("; ".join(found))


def check_time_zone(name):
    """Django loads TIME_ZONE's zone data even with USE_TZ off (it formats
    naive datetimes in it), and the Alpine image has no zone files, not even
    UTC's: without tzdata installed, the first page would fail."""
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise _error(_zone_problem(name)) from None


def _zone_problem(name):
    # Every source of zone data has UTC: without it there is none at all.
    try:
        zoneinfo.ZoneInfo("UTC")
    except zoneinfo.ZoneInfoNotFoundError:
        return (
            f"TIME_ZONE={name!r} has no zone data: add tzdata to your "
            "requirements (the Alpine image ships none)."
        )
    return (
        f"TIME_ZONE={name!r} is not a time zone: name one of the tz database's, "
        "such as 'UTC' or 'Europe/Paris'."
    )


def _settings_problems():
    """What loading the settings stops on, and their time zone's data."""
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    try:
        # Always a value: Django's default is America/Chicago.
        check_time_zone(settings.TIME_ZONE)
    except ImproperlyConfigured as error:
        return [str(error)]
    return []


def main():
    found = problems()
    # The settings only once the packages they import are known to be there.
    if not found and os.environ.get("DJANGO_SETTINGS_MODULE"):
        found = _settings_problems()
    for line in found:
        print(f"preflight: {line}", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
