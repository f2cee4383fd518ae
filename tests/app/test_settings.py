"""The settings module read in a fresh process, as a container starts it."""

import re
from pathlib import Path

import pytest

from containers.commands import run_python

SETUP = "import django; django.setup()"
PRINT = SETUP + "; from django.conf import settings as s; print({})"


def run(args, env):
    # Nothing inherited: a developer's shell must not change what is tested.
    return run_python(*args, env=env, check=False)


def environment(data_dir):
    """A data directory as a first start leaves it: with its generated key."""
    if Path(data_dir).is_absolute():
        (Path(data_dir) / "secret_key").write_text("generated-earlier\n")
    return {
        "DJANGO_SETTINGS_MODULE": "stack.settings",
        "DJANGO_DATA_DIR": str(data_dir),
    }


def setup_with(data_dir, **variables):
    return run(["-c", SETUP], {**environment(data_dir), **variables})


def printed(data_dir, expression, **variables):
    env = environment(data_dir)
    result = run(["-c", PRINT.format(expression)], {**env, **variables})
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def error_line(result):
    """The exception's own message, not the traceback's quoted source lines."""
    return result.stderr.strip().splitlines()[-1]


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("DJANGO_DEBUG", "maybe", "'maybe' is not a boolean"),
        ("DJANGO_ALLOWED_HOSTS", "http://x", "'http://x' is a URL"),
        ("DJANGO_ALLOWED_HOSTS", "a,,b", "'a,,b' has an empty item"),
        ("DJANGO_CSRF_TRUSTED_ORIGINS", "example.com", "needs its scheme"),
        ("DJANGO_LOG_LEVEL", "verbose", "'verbose' is not one of"),
        ("DJANGO_HTTPS", "yes please", "is not a boolean"),
        ("DJANGO_HSTS_SECONDS", "a year", "is not a whole number"),
        ("DJANGO_HSTS_PRELOAD", "2", "is not a boolean"),
        ("DJANGO_TRUST_X_FORWARDED_PROTO", "sure", "is not a boolean"),
        ("DJANGO_SECRET_KEY", " ", "is set but empty"),
        ("DJANGO_SECRET_KEY_FILE", "{tmp}/missing", "cannot be read"),
        ("DJANGO_SECRET_KEY_FILE", "{tmp}/empty", "is an empty file"),
    ],
)
def test_it_stops_on_a_malformed_variable_naming_it(tmp_path, variable, value, message):
    (tmp_path / "empty").write_text("\n")
    result = setup_with(tmp_path, **{variable: value.format(tmp=tmp_path)})
    assert result.returncode != 0
    assert re.match(
        rf"django\.core\.exceptions\.ImproperlyConfigured: {variable}[= ]",
        error_line(result),
    )
    assert message in error_line(result)


def test_it_stops_on_a_relative_data_directory():
    result = setup_with("data")
    assert result.returncode != 0
    assert error_line(result) == (
        "django.core.exceptions.ImproperlyConfigured: "
        "DJANGO_DATA_DIR='data' must be an absolute path."
    )


def test_it_passes_the_system_checks_with_no_configuration(tmp_path):
    result = run(["manage.py", "check"], {"DJANGO_DATA_DIR": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    ("setting", "default"),
    [
        ("DEBUG", "False"),
        ("ALLOWED_HOSTS", "['localhost', '127.0.0.1', '[::1]']"),
        ("CSRF_TRUSTED_ORIGINS", "[]"),
        ("SECURE_SSL_REDIRECT", "False"),
        ("SECURE_HSTS_SECONDS", "0"),
        ("LOG_LEVEL", "INFO"),
    ],
)
def test_it_defaults_safely_when_unconfigured(tmp_path, setting, default):
    assert printed(tmp_path, f"s.{setting}") == default


def test_it_keeps_the_database_in_the_data_directory(tmp_path):
    assert printed(tmp_path, "s.DATABASES['default']['NAME']") == str(
        tmp_path / "db.sqlite3"
    )


@pytest.mark.parametrize(
    ("variable", "value", "setting", "expected"),
    [
        ("DJANGO_DEBUG", "true", "DEBUG", "True"),
        (
            "DJANGO_ALLOWED_HOSTS",
            "a.example, b.example",
            "ALLOWED_HOSTS",
            "['a.example', 'b.example']",
        ),
        (
            "DJANGO_CSRF_TRUSTED_ORIGINS",
            "https://a.example",
            "CSRF_TRUSTED_ORIGINS",
            "['https://a.example']",
        ),
        ("DJANGO_LOG_LEVEL", "warning", "LOG_LEVEL", "WARNING"),
        ("DJANGO_HSTS_SECONDS", "60", "SECURE_HSTS_SECONDS", "60"),
        (
            "DJANGO_TRUST_X_FORWARDED_PROTO",
            "true",
            "SECURE_PROXY_SSL_HEADER",
            "('HTTP_X_FORWARDED_PROTO', 'https')",
        ),
    ],
)
def test_it_applies_a_well_formed_variable(
    tmp_path, variable, value, setting, expected
):
    assert printed(tmp_path, f"s.{setting}", **{variable: value}) == expected


@pytest.mark.parametrize(
    "setting",
    [
        "SECURE_SSL_REDIRECT",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    ],
)
def test_it_turns_on_https_protections_when_https_is_declared(tmp_path, setting):
    assert printed(tmp_path, f"s.{setting}", DJANGO_HTTPS="true") == "True"


def test_it_sends_hsts_for_a_year_when_https_is_declared(tmp_path):
    seconds = printed(tmp_path, "s.SECURE_HSTS_SECONDS", DJANGO_HTTPS="true")
    assert seconds == "31536000"
