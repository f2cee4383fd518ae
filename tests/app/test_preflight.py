"""stack.preflight: what it says when the project's environment lacks a
package the stack needs, run as the image build runs it, in a virtual
environment that holds only the distributions a test gives it."""

import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from containers import ROOT
from containers.commands import clean_environment, run, run_python
from stack import preflight

NEW_ENOUGH = {"Django": "5.2", "gunicorn": "25.0.0", "whitenoise": "6.0"}


@pytest.fixture
def venv(tmp_path):
    """A bare virtual environment on this interpreter, without this one's
    packages: (its python, its site-packages)."""
    root = tmp_path / "venv"
    run_python("-m", "venv", "--without-pip", str(root), env=None)
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    return root / "bin" / "python", root / "lib" / version / "site-packages"


def install(site_packages, distributions):
    """Each distribution as its metadata alone, named as a wheel names it."""
    for name, version in distributions.items():
        info = site_packages / f"{name.lower().replace('-', '_')}-{version}.dist-info"
        info.mkdir()
        (info / "METADATA").write_text(
            f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n"
        )


def preflight_in(venv, distributions, **environ):
    python, site_packages = venv
    install(site_packages, distributions)
    env = {"PYTHONPATH": str(ROOT), **environ}
    result = run(str(python), "-m", "stack.preflight", env=env, check=False)
    assert "Traceback" not in result.stderr
    return result


def test_it_is_silent_when_every_package_is_new_enough(venv):
    result = preflight_in(venv, NEW_ENOUGH)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_it_names_django_when_django_is_missing(venv):
    result = preflight_in(venv, {"gunicorn": "25.0.0", "whitenoise": "6.0"})
    assert result.returncode == 1
    assert result.stderr == (
        "preflight: Django is not installed: the stack needs Django>=5.2; "
        "add it to your requirements.\n"
    )


def test_it_names_a_gunicorn_too_old_for_the_config(venv):
    result = preflight_in(venv, {**NEW_ENOUGH, "gunicorn": "23.0.0"})
    assert result.returncode == 1
    assert result.stderr == (
        "preflight: gunicorn 23.0.0 is too old: the stack needs gunicorn>=25; "
        "pin a newer one in your requirements.\n"
    )


@pytest.mark.parametrize(
    ("variable", "value", "package", "reason"),
    [
        ("METRICS_PORT", "9000", "prometheus-client", "METRICS_PORT is set"),
        ("DATABASE_URL", "postgres://app@db/app", "psycopg", "DATABASE_URL is set"),
        ("LOG_FORMAT", "json", "python-json-logger", "LOG_FORMAT is json"),
        ("SENTRY_DSN", "https://k@sentry.example/1", "sentry-sdk", "SENTRY_DSN is set"),
    ],
)
def test_it_names_what_a_variable_asks_for(venv, variable, value, package, reason):
    result = preflight_in(venv, NEW_ENOUGH, **{variable: value})
    assert result.returncode == 1
    assert result.stderr == (
        f"preflight: {package} is not installed: the stack needs it when "
        f"{reason}; add it to your requirements.\n"
    )


def test_it_asks_for_nothing_a_variable_left_unset_would_need(venv):
    result = preflight_in(venv, NEW_ENOUGH, METRICS_PORT="", LOG_FORMAT="text")
    assert (result.returncode, result.stderr) == (0, "")


def test_this_projects_environment_has_everything_the_images_ask_for():
    environ = {
        "METRICS_PORT": "9000",
        "DATABASE_URL": "postgres://app@db/app",
        "LOG_FORMAT": "json",
        "SENTRY_DSN": "https://k@sentry.example/1",
    }
    assert preflight.problems(environ) == []


def test_utc_has_its_zone_data_here():
    preflight.check_time_zone("UTC")


def test_a_zone_that_does_not_exist_is_named():
    with pytest.raises(ImproperlyConfigured) as raised:
        preflight.check_time_zone("Mars/Olympus")
    assert str(raised.value) == (
        "TIME_ZONE='Mars/Olympus' is not a time zone: name one of the tz "
        "database's, such as 'UTC' or 'Europe/Paris'."
    )


def test_utc_without_tzdata_or_zone_files_asks_for_tzdata(venv):
    # As on Alpine: no system zone files (an empty search path), no tzdata.
    python, _ = venv
    env = {"PYTHONPATH": str(ROOT), "PYTHONTZPATH": ""}
    code = "from stack import preflight; preflight.check_time_zone('UTC')"
    result = run(str(python), "-c", code, env=env, check=False)
    assert result.stderr.splitlines()[-1] == (
        "RuntimeError: TIME_ZONE='UTC' has no zone data: add tzdata to your "
        "requirements (the Alpine image ships none)."
    )


def test_a_settings_error_is_one_line(tmp_path):
    (tmp_path / "adopted_settings.py").write_text('TIME_ZONE = "Mars/Olympus"\n')
    env = clean_environment(
        DJANGO_DATA_DIR=str(tmp_path),
        DJANGO_PROJECT_SETTINGS="adopted_settings",
        PYTHONPATH=str(tmp_path),
    )
    result = run_python("-m", "stack.preflight", env=env, check=False)
    assert result.returncode == 1
    assert result.stderr == (
        "preflight: TIME_ZONE='Mars/Olympus' is not a time zone: name one of the "
        "tz database's, such as 'UTC' or 'Europe/Paris'.\n"
    )
