import pytest
from django.core.management import call_command
from django.db import connection, connections

from stack.health import checks


@pytest.fixture
def unreachable_database(tmp_path):
    """The default connection pointed at a file in a directory that does not exist.

    A second connection object replaces the default one for the test, so the
    in-memory test database behind the original stays open for the others.
    """
    original = connections["default"]
    missing = tmp_path / "no-such-directory" / "db.sqlite3"
    broken = type(original)({**original.settings_dict, "NAME": str(missing)})
    connections["default"] = broken
    yield
    connections["default"] = original
    broken.close()


def test_it_reports_live_without_touching_the_database(client):
    # No django_db mark: any query here would raise.
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_it_reports_ready_when_migrated(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_it_reports_unready_when_the_database_is_unreachable(
    client, unreachable_database
):
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "reason": "database"}


@pytest.fixture
def transitions(monkeypatch):
    """A process that has logged nothing about readiness yet."""
    monkeypatch.setattr(checks, "transitions", checks.Transitions())


def readiness_log(caplog):
    return [r.getMessage() for r in caplog.records if r.name == checks.log.name]


@pytest.mark.django_db
def test_it_logs_why_the_database_is_unready_once_per_change(
    client, transitions, unreachable_database, caplog
):
    for _ in range(3):
        client.get("/readyz")
    assert readiness_log(caplog) == [
        "Not ready: database unavailable: unable to open database file"
    ]


@pytest.mark.django_db
def test_it_logs_when_it_is_ready_again(client, transitions, caplog):
    checks.transitions.record("database unavailable: gone")
    for _ in range(2):
        client.get("/readyz")
    assert readiness_log(caplog) == [
        "Not ready: database unavailable: gone",
        "Ready again.",
    ]


@pytest.fixture
def unapplied_migration():
    """0002 only inserts the counter row, so faking its reversal leaves the
    database exactly as an un-migrated one would be; the test's transaction
    restores the migration record afterwards."""
    call_command("migrate", "clock", "0001", fake=True, verbosity=0)


def recorded_migrations():
    with connection.cursor() as cursor:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY id")
        return cursor.fetchall()


@pytest.mark.django_db
def test_it_reports_unready_while_a_migration_is_not_applied(
    client, unapplied_migration
):
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "reason": "migrations"}


@pytest.mark.django_db
def test_it_applies_no_migration_when_probed(client, unapplied_migration):
    before = recorded_migrations()
    client.get("/readyz")
    assert recorded_migrations() == before
    assert ("clock", "0002_create_counter") not in before


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
@pytest.mark.django_db
def test_it_answers_probes_whatever_the_host_header(client, path):
    response = client.get(path, headers={"host": "10.0.0.7:8000"})
    assert response.status_code == 200


def test_it_still_refuses_pages_for_hosts_it_does_not_serve(client):
    response = client.get("/", headers={"host": "10.0.0.7:8000"})
    assert response.status_code == 400


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_it_refuses_unsafe_methods_on_probes(client, path, method):
    assert getattr(client, method)(path).status_code == 405


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_it_forbids_caching_probe_answers(client, path):
    assert "no-store" in client.get(path)["Cache-Control"]
