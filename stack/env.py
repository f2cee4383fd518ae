"""Strict readers for settings that come from the environment.

Each helper returns a typed value or raises ImproperlyConfigured with one line
that names the variable and the offending value, so that a container with a
typo in its environment stops at start-up instead of serving with a guess.
"""

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def _raw(name):
    """The variable's value stripped of surrounding blanks, or None when unset."""
    value = os.environ.get(name)
    return None if value is None else value.strip()


def env_str(name, default):
    value = _raw(name)
    if value is None:
        return default
    if not value:
        raise ImproperlyConfigured(f"{name} is set but empty.")
    return value


def env_bool(name, default):
    value = _raw(name)
    if value is None:
        return default
    if value.lower() in _TRUE:
        return True
    if value.lower() in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name}={value!r} is not a boolean: use true/false, 1/0, yes/no or on/off."
    )


def env_int(name, default, *, minimum=0):
    value = _raw(name)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not a whole number.") from None
    if number < minimum:
        raise ImproperlyConfigured(f"{name}={value!r} must be at least {minimum}.")
    return number


def env_list(name, default, *, validate=None):
    """A comma-separated list; `validate(item)` returns an error text or None."""
    value = _raw(name)
    if value is None:
        return list(default)
    items = [item.strip() for item in value.split(",")]
    if not all(items):
        raise ImproperlyConfigured(
            f"{name}={value!r} has an empty item: separate values with single commas."
        )
    for item in items:
        if validate and (problem := validate(item)):
            raise ImproperlyConfigured(f"{name}={value!r}: {item!r} {problem}.")
    return items


def env_choice(name, default, choices):
    value = _raw(name)
    if value is None:
        return default
    if value.upper() not in choices:
        raise ImproperlyConfigured(
            f"{name}={value!r} is not one of {', '.join(sorted(choices))}."
        )
    return value.upper()


def env_path(name, default):
    value = _raw(name)
    if value is None:
        return Path(default)
    if not value or not os.path.isabs(value):
        raise ImproperlyConfigured(f"{name}={value!r} must be an absolute path.")
    return Path(value)
