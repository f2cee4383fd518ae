"""The stack applied to a Django project nobody here wrote (tests/container/
adopted.py), in each image: its own page, static file, migrations, admin,
probes, metrics, JSON logs and backups, with nothing of the clock in it."""

import gzip
import json
import re
import secrets
from http.cookies import SimpleCookie
from urllib.parse import urlencode

import pytest

from containers import ROOT, contract
from containers.compose import ComposeProject
from containers.docker import new_name
from tests.container import adopted
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


def test_it_gets_the_stack_and_nothing_of_the_clock(startproject):
    files = adopted.tree(startproject)
    assert {"stack/settings.py", "docker/alpine.Dockerfile", "compose.yaml"} <= files
    assert not {path for path in files if path.startswith(("apps/", "project/"))}
    facts = (startproject / "stack.env").read_text(encoding="utf-8")
    assert "PROJECT_NAME=mysite\n" in facts
    assert "PROJECT_DATABASE=mysite\n" in facts
    for path in files:
        text = (startproject / path).read_bytes()
        assert not re.search(rb"moscow|clock", text, flags=re.IGNORECASE), path


def test_its_stack_files_are_the_checkouts_byte_for_byte(startproject):
    for path in ("stack/settings.py", "docker/compose/app.yaml", "compose.yaml"):
        assert (startproject / path).read_bytes() == (ROOT / path).read_bytes()


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


def test_it_answers_the_probes(served):
    assert served.get("/healthz").status == 200
    assert served.get("/readyz").status == 200


def test_it_exports_request_metrics_for_its_own_views(served):
    served.get("/")
    port = declared(contract.image(served.image()), "METRICS_PORT")
    metrics = fetch(served.container(), port, "/metrics")["body"]
    assert re.search(
        r'^django_http_requests_total\{method="GET",status="200",view="notes:index"\} '
        r"[1-9]",
        metrics,
        flags=re.MULTILINE,
    )


def test_it_writes_json_logs(served):
    served.get("/")
    lines = [line for line in served.container().logs().splitlines() if line.strip()]
    records = [json.loads(line) for line in lines]
    assert any(record.get("status") == 200 for record in records)


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


def test_it_logs_in_to_its_admin(served):
    served.compose(
        *("exec", "-T", "--env", f"DJANGO_SUPERUSER_PASSWORD={PASSWORD}", "web"),
        *("python", "manage.py", "createsuperuser", "--noinput"),
        *("--username", "admin", "--email", "admin@example.com"),
    )
    session = log_in(served)["sessionid"].value
    admin = served.get("/admin/notes/note/", headers={"Cookie": f"sessionid={session}"})
    assert admin.status == 200
    assert "0 notes" in admin.text


def add_notes(served, count):
    script = (
        "from notes.models import Note; "
        f"Note.objects.bulk_create([Note(text='n') for _ in range({count})])"
    )
    served.compose("exec", "-T", "web", "python", "manage.py", "shell", "-c", script)


def test_it_backs_up_and_restores_its_sqlite_database(served):
    before = served.get("/").text
    backup = served.compose(
        "exec",
        "-T",
        "web",
        "python",
        "manage.py",
        "backup",
        "--output",
        "-",
        text=False,
    ).stdout
    add_notes(served, 3)
    assert served.get("/").text != before
    served.compose(
        "exec",
        "-T",
        "web",
        "python",
        "manage.py",
        "restore",
        "-",
        input=backup,
        text=False,
    )
    assert served.get("/").text == before
