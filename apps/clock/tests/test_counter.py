"""The visit counter as one process sees it; concurrency is tested elsewhere."""

import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def visits_on_page(response):
    return int(re.search(r'<strong id="visits">(\d+)</strong>', response.text)[1])


def visits(client):
    return client.get("/api/time").json()["visits"]


def test_it_starts_at_zero(client):
    assert visits(client) == 0


def test_it_counts_each_page_view_once(client):
    assert [visits_on_page(client.get("/")) for _ in range(3)] == [1, 2, 3]


def test_it_shows_on_the_page_the_count_it_stored(client):
    shown = visits_on_page(client.get("/"))
    assert visits(client) == shown


def test_it_counts_visits_from_every_client_together(client):
    client.get("/")
    Client().get("/")
    assert visits(Client()) == 2


def test_it_does_not_count_head_requests(client):
    client.head("/")
    assert visits(client) == 0


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_it_does_not_count_refused_requests(client, method):
    getattr(client, method)("/")
    assert visits(client) == 0


def test_it_does_not_count_requests_for_a_host_it_does_not_serve(client):
    client.get("/", headers={"host": "evil.example"})
    assert visits(client) == 0


def test_it_does_not_count_probes_or_missing_pages(client):
    client.get("/healthz")
    client.get("/readyz")
    client.get("/no-such-page")
    assert visits(client) == 0
