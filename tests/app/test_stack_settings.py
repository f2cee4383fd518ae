"""stack.settings on a project's own settings module, as `startproject`
writes one: what it keeps, what it replaces, what it adds."""

import json

import pytest
from django.core.exceptions import ImproperlyConfigured

from containers.commands import clean_environment, run_python
from stack import facts

COMMITTED_KEY = "django-insecure-committed-to-the-repository"
STARTPROJECT = f"""
from pathlib import Path
BASE_DIR = Path(__file__).resolve().parent
SECRET_KEY = "{COMMITTED_KEY}"
DEBUG = True
ALLOWED_HOSTS = []
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
ROOT_URLCONF = "adopted.urls"
WSGI_APPLICATION = "adopted.wsgi.application"
STORAGES = {{"default": {{"BACKEND": "adopted.storage.Uploads"}}}}
STATIC_URL = "assets/"
MEDIA_ROOT = BASE_DIR / "media"
MEDIA_URL = "uploads/"
TIME_ZONE = "Europe/Paris"
ADOPTED_OWN_SETTING = 42
"""

SHOWN = [
    *("SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "INSTALLED_APPS", "MIDDLEWARE"),
    *("ROOT_URLCONF", "WSGI_APPLICATION", "STORAGES", "STATIC_URL", "TIME_ZONE"),
    *("MEDIA_ROOT", "MEDIA_URL", "ADOPTED_OWN_SETTING"),
]
SHOW = (
    "import json; from django.conf import settings; "
    f"print(json.dumps({{n: getattr(settings, n) for n in {SHOWN!r}}}, default=str))"
)


def with_project(tmp_path, module_text, module="adopted_settings"):
    (tmp_path / f"{module}.py").write_text(module_text)
    env = clean_environment(
        DJANGO_DATA_DIR=str(tmp_path),
        DJANGO_PROJECT_SETTINGS=module,
        PYTHONPATH=str(tmp_path),
    )
    return run_python("-c", SHOW, env=env, check=False)


@pytest.fixture
def adopted(tmp_path):
    result = with_project(tmp_path, STARTPROJECT)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_it_keeps_what_the_project_decides(adopted):
    assert adopted["ROOT_URLCONF"] == "adopted.urls"
    assert adopted["WSGI_APPLICATION"] == "adopted.wsgi.application"
    assert adopted["TIME_ZONE"] == "Europe/Paris"
    assert adopted["STATIC_URL"] == "/assets/"
    assert adopted["MEDIA_URL"] == "/uploads/"
    assert adopted["ADOPTED_OWN_SETTING"] == 42
    assert adopted["STORAGES"]["default"] == {"BACKEND": "adopted.storage.Uploads"}


def test_it_keeps_uploads_in_the_data_directory_not_the_image(adopted, tmp_path):
    assert adopted["MEDIA_ROOT"] == str(tmp_path / "media")


def test_it_replaces_what_a_deployment_decides(adopted):
    assert adopted["SECRET_KEY"] != COMMITTED_KEY
    assert adopted["DEBUG"] is False
    assert adopted["ALLOWED_HOSTS"] == ["localhost", "127.0.0.1", "[::1]"]
    static = adopted["STORAGES"]["staticfiles"]["BACKEND"]
    assert static == "stack.static_urls.UrlsOnceManifestStorage"


def test_it_adds_its_apps_and_middleware_around_the_projects(adopted):
    assert adopted["INSTALLED_APPS"][-2:] == ["stack.backups", "stack.health"]
    assert adopted["MIDDLEWARE"] == [
        "stack.metrics.MetricsMiddleware",
        "stack.client_address.ClientAddressMiddleware",
        "stack.request_id.RequestIdMiddleware",
        "django.middleware.security.SecurityMiddleware",
        "whitenoise.middleware.WhiteNoiseMiddleware",
        "django.contrib.sessions.middleware.SessionMiddleware",
        "stack.health.middleware.HealthProbeMiddleware",
        "django.middleware.common.CommonMiddleware",
        "django.middleware.csrf.CsrfViewMiddleware",
        "django.contrib.auth.middleware.AuthenticationMiddleware",
        "django.contrib.messages.middleware.MessageMiddleware",
        "django.middleware.clickjacking.XFrameOptionsMiddleware",
    ]


def test_a_project_that_lists_them_already_gets_each_once(tmp_path):
    listed = STARTPROJECT.replace(
        '"django.contrib.staticfiles",',
        '"django.contrib.staticfiles", "stack.health",',
    ).replace(
        '"django.middleware.security.SecurityMiddleware",',
        '"django.middleware.security.SecurityMiddleware",'
        ' "whitenoise.middleware.WhiteNoiseMiddleware",',
    )
    result = with_project(tmp_path, listed)
    assert result.returncode == 0, result.stderr
    shown = json.loads(result.stdout)
    assert shown["INSTALLED_APPS"].count("stack.health") == 1
    assert shown["MIDDLEWARE"].count("whitenoise.middleware.WhiteNoiseMiddleware") == 1


def test_a_settings_module_that_is_not_there_is_one_line(tmp_path):
    result = with_project(tmp_path, STARTPROJECT, module="adopted_settings")
    env = clean_environment(
        DJANGO_DATA_DIR=str(tmp_path), DJANGO_PROJECT_SETTINGS="nowhere.settings"
    )
    result = run_python("-c", SHOW, env=env, check=False)
    assert result.returncode == 1
    last = result.stderr.strip().splitlines()[-1]
    assert "DJANGO_PROJECT_SETTINGS='nowhere.settings' cannot be imported" in last


def test_the_facts_file_names_a_line_it_cannot_read(tmp_path):
    path = tmp_path / "stack.env"
    path.write_text("# facts\nDJANGO_PROJECT_SETTINGS=project.settings\nproject\n")
    with pytest.raises(ImproperlyConfigured, match=r"stack.env, line 3: 'project'"):
        facts.read(path)


def test_the_settings_module_is_the_one_manage_py_sets_unless_named(tmp_path):
    path, manage_py = tmp_path / "stack.env", tmp_path / "manage.py"
    path.write_text("DJANGO_PROJECT_SETTINGS=\n")
    manage_py.write_text(
        "import os\n"
        "def main():\n"
        '    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")\n'
    )
    assert facts.project_settings(path, manage_py) == "mysite.settings"
    path.write_text("DJANGO_PROJECT_SETTINGS=config.settings.production\n")
    assert facts.project_settings(path, manage_py) == "config.settings.production"


def test_a_settings_module_named_nowhere_is_one_line(tmp_path):
    path, manage_py = tmp_path / "stack.env", tmp_path / "manage.py"
    path.write_text("DJANGO_PROJECT_SETTINGS=\n")
    manage_py.write_text("import django\n")
    with pytest.raises(ImproperlyConfigured, match=r"manage\.py sets no"):
        facts.project_settings(path, manage_py)


def test_this_projects_settings_module_is_found_in_its_manage_py():
    assert facts.project_settings() == "project.settings"
