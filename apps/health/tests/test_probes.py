import pytest


def test_it_reports_live_without_touching_the_database(client):
    # No django_db mark: any query here would raise.
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_it_reports_ready_when_migrated(client):
    response = client.get("/readyz")
    assert response.status_code == 200
