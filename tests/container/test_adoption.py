"""The stack applied to a Django project nobody here wrote (tests/adopted.py),
in each image: its own page, static file, migrations, admin, probes,
metrics, JSON logs and backups."""

import gzip
import json
import re
import secrets
from http.cookies import SimpleCookie
from urllib.parse import urlencode

import pytest

from containers import contract
from containers.compose import ComposeProject
from containers.docker import new_name
from tests import adopted
from tests.container.test_observability import declared, fetch

PASSWORD = secrets.token_urlsafe(16)


@pytest.fixture(scope="module")
def startproject(tmp_path_factory, engine):
    """`startproject` with the stack applied, made once for both images."""
    directory = tmp_path_factory.mktemp("adopted") / "mysite"
    return adopted.apply_stack(adopted.startproject(directory))


@pytest.fixture(scope="module")
def served(startproject, variant):
    """The adopted project up in the variant's image, logging JSON."""
    stack = ComposeProject(
        variant.name,
        project=new_name("adopted"),
        directory=startproject,
        env={"LOG_FORMAT": "json"},
    )
    yield stack.up()
    stack.down(volumes=True)


def test_it_serves_its_own_page_after_its_migrations(served):
    page = served.get("/")
    assert page.status == 200
    assert adopted.PAGE.format(count=0) in page.text


def test_it_serves_its_own_static_file_hashed_and_compressed(served):
    link = re.search(
        r'href="(/static/notes/site\.[0-9a-f]{12}\.css)"', served.get("/").text
    )
    static = served.get(link.group(1))
    assert static.status == 200
    assert static.text == adopted.STYLESHEET
    assert "immutable" in static.headers["cache-control"]
    compressed = served.get(link.group(1), headers={"Accept-Encoding": "gzip"})
    assert compressed.headers["content-encoding"] == "gzip"
    assert gzip.decompress(compressed.body) == static.body


def answers_the_probes(stack):
    return stack.get("/healthz").status == stack.get("/readyz").status == 200


def page_views(stack, view):
    """The request counter of the project's own view, from the metrics port."""
    stack.get("/")
    port = declared(contract.image(stack.image()), "METRICS_PORT")
    metrics = fetch(stack.container(), port, "/metrics")["body"]
    found = re.search(
        r'^django_http_requests_total\{method="GET",status="200",'
        rf'view="{view}"\}} (\S+)$',
        metrics,
        flags=re.MULTILINE,
    )
    return float(found.group(1)) if found else 0


def json_records(stack):
    """The web container's log, every line a JSON object."""
    stack.get("/")
    lines = [line for line in stack.container().logs().splitlines() if line.strip()]
    return [json.loads(line) for line in lines]


def test_it_answers_the_probes(served):
    assert answers_the_probes(served)


def test_it_exports_request_metrics_for_its_own_views(served):
    assert page_views(served, "notes:index") >= 1


def test_it_writes_json_logs(served):
    assert any(record.get("status") == 200 for record in json_records(served))


def log_in(served):
    """The admin's login form, as a browser fills it in: the session's cookies."""
    form = served.get("/admin/login/")
    cookies = SimpleCookie(form.headers["set-cookie"])
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)
    answer = served.get(
        "/admin/login/?next=/admin/",
        method="POST",
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={cookies['csrftoken'].value}",
        },
        body=urlencode(
            {
                "csrfmiddlewaretoken": token.group(1),
                "username": "admin",
                "password": PASSWORD,
                "next": "/admin/",
            }
        ),
    )
    assert answer.status == 302, answer.text
    return SimpleCookie(answer.headers["set-cookie"])


def create_admin(stack):
    stack.compose(
        *("exec", "-T", "--env", f"DJANGO_SUPERUSER_PASSWORD={PASSWORD}", "web"),
        *("python", "manage.py", "createsuperuser", "--noinput"),
        *("--username", "admin", "--email", "admin@example.com"),
    )


def test_it_logs_in_to_its_admin(served):
    create_admin(served)
    session = log_in(served)["sessionid"].value
    admin = served.get("/admin/notes/note/", headers={"Cookie": f"sessionid={session}"})
    assert admin.status == 200
    assert "0 notes" in admin.text


def python_in(stack, code):
    """What `code` prints, run by manage.py's shell in the web container
    (quiet: Django 5.2's shell says what it imports)."""
    return stack.compose(
        *("exec", "-T", "web", "python", "manage.py", "shell", "--verbosity=0"),
        *("-c", code),
    ).stdout.strip()


def add_notes(served, count):
    script = (
        "from notes.models import Note; "
        f"Note.objects.bulk_create([Note(text='n') for _ in range({count})])"
    )
    python_in(served, script)


def backup(stack):
    """`manage.py backup` to standard output, as DOCKER.md gives it."""
    return stack.compose(
        *("exec", "-T", "web", "python", "manage.py", "backup", "--output", "-"),
        text=False,
    ).stdout


def restore(stack, copy):
    stack.compose(
        *("exec", "-T", "web", "python", "manage.py", "restore", "-"),
        input=copy,
        text=False,
    )


def test_it_backs_up_and_restores_its_sqlite_database(served):
    before = served.get("/").text
    copy = backup(served)
    add_notes(served, 3)
    assert served.get("/").text != before
    restore(served, copy)
    assert served.get("/").text == before


@pytest.fixture(scope="module")
def packaged(tmp_path_factory, engine):
    """The settings-package project, on Django's LTS, with the stack applied:
    the settings it builds on named, its requirements from pyproject.toml."""
    directory = tmp_path_factory.mktemp("packaged") / "shop"
    return adopted.apply_stack(
        adopted.packaged(directory),
        "django_settings=config.settings.production",
        sources=("pyproject.toml",),
    )


def multipart(fields, files):
    """A form's fields and files, encoded as a browser posts them."""
    boundary = secrets.token_hex(16)
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
        f"{value}\r\n".encode()
        for name, value in fields.items()
    ]
    parts += [
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: application/pdf\r\n\r\n'
        ).encode()
        + content
        + b"\r\n"
        for name, (filename, content) in files.items()
    ]
    body = b"".join(parts) + f"--{boundary}--\r\n".encode()
    return f"multipart/form-data; boundary={boundary}", body


def upload(stack, session, content):
    """A product added through the admin's form, with its leaflet."""
    path = "/admin/catalog/product/add/"
    page = stack.get(path, headers={"Cookie": f"sessionid={session}"})
    assert page.status == 200, page.status
    csrf = SimpleCookie(page.headers["set-cookie"])["csrftoken"].value
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    kind, body = multipart(
        {"csrfmiddlewaretoken": token.group(1), "name": "Lamp", "_save": "Save"},
        {"leaflet": ("lamp.pdf", content)},
    )
    answer = stack.get(
        path,
        method="POST",
        headers={
            "Content-Type": kind,
            "Cookie": f"sessionid={session}; csrftoken={csrf}",
        },
        body=body,
    )
    assert answer.status == 302, answer.text


def stored(stack):
    """The uploaded leaflet as the app reads it back: its path and bytes."""
    script = (
        "from shop.catalog.models import Product; "
        "leaflet = Product.objects.get().leaflet; "
        "print(leaflet.path); print(leaflet.read().hex())"
    )
    said = python_in(stack, script).split()
    return said[0], bytes.fromhex(said[1])


def test_a_packaged_project_on_django_lts_keeps_its_uploads(packaged):
    """Served in one image, restarted, then switched to the other: the same
    upload each time, from the data volume; then the probes, metrics, logs
    and a backup restored, in the image it was switched to."""
    first, *others = contract.variants()
    stack = ComposeProject(
        first,
        project=new_name("packaged"),
        directory=packaged,
        env={"LOG_FORMAT": "json"},
    )
    try:
        stack.up()
        version = python_in(stack, "import django; print(django.get_version())")
        assert version.startswith(f"{adopted.LTS}.")
        # The settings the project named, production.py on base.py.
        assert (
            python_in(
                stack,
                "from django.conf import settings; print(settings.SESSION_COOKIE_AGE)",
            )
            == "3600"
        )
        page = stack.get("/")
        assert adopted.CATALOGUE.format(count=0) in page.text
        script = re.search(
            r'src="(/static/catalog/catalog\.[0-9a-f]{12}\.js)"', page.text
        )
        assert stack.get(script.group(1)).text == adopted.SCRIPT
        create_admin(stack)
        content = secrets.token_bytes(2048)
        upload(stack, log_in(stack)["sessionid"].value, content)
        path, kept = stored(stack)
        assert path.startswith("/data/media/leaflets/lamp") and kept == content
        assert adopted.CATALOGUE.format(count=1) in stack.get("/").text

        stack.compose("restart", "web")
        stack.up()
        assert stored(stack) == (path, content)
        for other in others:
            stack.up(other)
            assert stored(stack) == (path, content)
        # And the rest, in the image it was switched to.
        assert answers_the_probes(stack)
        assert page_views(stack, "catalog:index") >= 1
        assert any(record.get("status") == 200 for record in json_records(stack))
        copy = backup(stack)
        python_in(
            stack,
            "from shop.catalog.models import Product; Product.objects.all().delete()",
        )
        assert adopted.CATALOGUE.format(count=0) in stack.get("/").text
        restore(stack, copy)
        assert adopted.CATALOGUE.format(count=1) in stack.get("/").text
        assert stored(stack) == (path, content)
    finally:
        stack.down(volumes=True)
