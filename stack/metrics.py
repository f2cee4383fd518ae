"""The app's metrics, counted by each gunicorn worker in files of its own and
added up across the workers when scraped (stack/metrics_exporter.py).

Labels stay few and bounded: the URL pattern's name (never the path a client
chose), a known method, the status code, an exception's class.

Only what the workers count themselves: each value is exact however their
requests interleave. A figure the database holds (the visit count) is no
metric here: set by each worker after its own write, the last to set it would
win, not the highest.
"""

import time

from django.db import connection
from prometheus_client import Counter, Gauge, Histogram

REQUESTS = Counter(
    "django_http_requests",
    "Requests answered, by view, method and status.",
    ["view", "method", "status"],
)
DURATION = Histogram(
    "django_http_request_duration_seconds",
    "Time from a request reaching Django to its response, by view and method.",
    ["view", "method"],
)
EXCEPTIONS = Counter(
    "django_http_exceptions",
    "Exceptions a view raised, by view and the exception's class.",
    ["view", "exception"],
)
IN_PROGRESS = Gauge(
    "django_http_requests_in_progress",
    "Requests being served: the gunicorn threads busy, across the live workers.",
    multiprocess_mode="livesum",
)
QUERIES = Counter("django_db_queries", "Database queries run, by view.", ["view"])
QUERY_SECONDS = Counter(
    "django_db_query_duration_seconds",
    "Time spent in database queries, by view.",
    ["view"],
)

METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
# What no URL pattern answered: the health probes, static files, 404s.
UNRESOLVED = "-"


def view_name(request):
    match = getattr(request, "resolver_match", None)
    return match.view_name if match is not None else UNRESOLVED


class QueryTimer:
    """A database execute wrapper (Django's documented hook) that counts the
    queries of one request and the time they took."""

    __slots__ = ("count", "seconds")

    def __init__(self):
        self.count, self.seconds = 0, 0.0

    def __call__(self, execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.count += 1
            self.seconds += time.perf_counter() - start


class MetricsMiddleware:
    """First in MIDDLEWARE: times and counts everything below it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        queries = QueryTimer()
        start = time.perf_counter()
        IN_PROGRESS.inc()
        try:
            with connection.execute_wrapper(queries):
                response = self.get_response(request)
        finally:
            IN_PROGRESS.dec()
        view = view_name(request)
        method = request.method if request.method in METHODS else "other"
        DURATION.labels(view, method).observe(time.perf_counter() - start)
        REQUESTS.labels(view, method, str(response.status_code)).inc()
        if queries.count:
            QUERIES.labels(view).inc(queries.count)
            QUERY_SECONDS.labels(view).inc(queries.seconds)
        return response

    def process_exception(self, request, exception):
        EXCEPTIONS.labels(view_name(request), type(exception).__name__).inc()
