from datetime import UTC, datetime, timedelta

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def timed_answer(client):
    before = datetime.now(UTC).replace(microsecond=0)
    response = client.get("/api/time")
    after = datetime.now(UTC)
    return response, before, after


def test_it_answers_json(client):
    response = client.get("/api/time")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"


def test_it_gives_exactly_the_documented_fields(client):
    assert set(client.get("/api/time").json()) == {
        "iso",
        "unix",
        "timezone",
        "utc_offset",
        "visits",
    }


def test_it_gives_the_current_moscow_time_in_iso_format(timed_answer):
    response, before, after = timed_answer
    iso = datetime.fromisoformat(response.json()["iso"])
    assert iso.utcoffset() == timedelta(hours=3)
    assert before <= iso <= after


def test_it_gives_the_same_instant_as_unix_seconds(client):
    answer = client.get("/api/time").json()
    assert type(answer["unix"]) is int
    assert answer["unix"] == datetime.fromisoformat(answer["iso"]).timestamp()


def test_it_names_the_time_zone(client):
    assert client.get("/api/time").json()["timezone"] == "Europe/Moscow"


def test_it_gives_the_utc_offset(client):
    assert client.get("/api/time").json()["utc_offset"] == "+03:00"


def test_it_gives_the_visit_count_as_a_number(client):
    client.get("/")
    client.get("/")
    assert client.get("/api/time").json()["visits"] == 2


def test_it_does_not_count_itself_as_a_visit(client):
    client.get("/")
    client.get("/api/time")
    assert client.get("/api/time").json()["visits"] == 1
