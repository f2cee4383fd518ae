"""The app's metrics as one process counts them (stack/metrics.py); the
gunicorn tests add them up across workers (tests/app/test_observability.py)."""

import pytest
from prometheus_client import REGISTRY

VIEWS = 5


def sample(name, **labels):
    return REGISTRY.get_sample_value(name, labels) or 0


@pytest.mark.django_db
def test_it_counts_each_page_view_once_by_view_method_and_status(client):
    labels = {"view": "clock:index", "method": "GET", "status": "200"}
    before = sample("django_http_requests_total", **labels)
    for _ in range(VIEWS):
        client.get("/")
    assert sample("django_http_requests_total", **labels) - before == VIEWS


@pytest.mark.django_db
def test_it_times_each_request_and_counts_its_queries(client):
    labels = {"view": "clock:api-time", "method": "GET"}
    timed = sample("django_http_request_duration_seconds_count", **labels)
    queries = sample("django_db_queries_total", view="clock:api-time")
    client.get("/api/time")
    assert sample("django_http_request_duration_seconds_count", **labels) == timed + 1
    assert sample("django_db_queries_total", view="clock:api-time") == queries + 1


@pytest.mark.django_db
def test_it_labels_what_no_url_pattern_answered_without_its_path(client):
    labels = {"view": "-", "method": "other", "status": "404"}
    before = sample("django_http_requests_total", **labels)
    client.generic("BREW", "/chosen/by/a/client/12345")
    assert sample("django_http_requests_total", **labels) == before + 1
    paths = [
        s.labels
        for metric in REGISTRY.collect()
        for s in metric.samples
        if "12345" in str(s.labels)
    ]
    assert paths == []


@pytest.mark.django_db
def test_it_counts_a_views_exception_by_its_class(client, monkeypatch):
    def broken():
        raise RuntimeError("the counter is gone")

    monkeypatch.setattr("apps.clock.views.visit_count", broken)
    labels = {"view": "clock:api-time", "exception": "RuntimeError"}
    before = sample("django_http_exceptions_total", **labels)
    client.raise_request_exception = False
    assert client.get("/api/time").status_code == 500
    assert sample("django_http_exceptions_total", **labels) == before + 1
