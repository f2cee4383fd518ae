"""The visit counter under writers in several processes, as gunicorn runs it
(or several replicas do), on SQLite and on a real PostgreSQL server.

Each test shares one run per database (a module fixture): the runs are what is
slow, the assertions are separate behaviours of the same run.
"""

import json
import re
import subprocess
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack

import pytest

from containers.commands import run_python, start_python
from tests import serving
from tests.postgres import empty_database

PROCESSES = 4
THREADS = 2
VISITS_PER_THREAD = 200
REQUESTS = 300

# Runs in each process: a fresh interpreter, so DJANGO_DATA_DIR is read by
# settings exactly as in a gunicorn worker.
WRITER = f"""
import json, threading, django
django.setup()
from django.db import connection
from apps.clock.models import record_visit

totals, failures = [], []

def visit():
    try:
        for _ in range({VISITS_PER_THREAD}):
            totals.append(record_visit())
    except Exception as error:
        failures.append(repr(error))
    finally:
        connection.close()

threads = [threading.Thread(target=visit) for _ in range({THREADS})]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(json.dumps({{"totals": totals, "failures": failures}}))
"""


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def new_database(request):
    """Makes the variables that choose an empty database of the run's kind:
    SQLite in each run's own data directory, or PostgreSQL by DATABASE_URL."""
    if request.param == "sqlite":
        yield dict
        return
    server = request.getfixturevalue("postgres_server")
    with ExitStack() as databases:
        yield lambda: {"DATABASE_URL": databases.enter_context(empty_database(server))}


def environment(data_dir, database):
    return serving.server_environment(
        data_dir, {"DJANGO_SETTINGS_MODULE": "stack.settings", **database}
    )


def stored_count(data_dir, database):
    read = (
        "import django; django.setup(); "
        "from apps.clock.models import visit_count; print(visit_count())"
    )
    return int(
        run_python("-c", read, env=environment(data_dir, database), timeout=60).stdout
    )


@pytest.fixture(scope="module")
def processes_run(tmp_path_factory, new_database):
    """(reports of each process, stored count) after they all finished."""
    data_dir = tmp_path_factory.mktemp("data")
    database = new_database()
    run_python(
        *("manage.py", "migrate", "--noinput", "-v", "0"),
        env=environment(data_dir, database),
        timeout=120,
    )
    writers = [
        start_python(
            *("-c", WRITER),
            env=environment(data_dir, database),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(PROCESSES)
    ]
    reports = []
    try:
        for writer in writers:
            stdout, stderr = writer.communicate(timeout=300)
            assert writer.returncode == 0, stderr
            reports.append(json.loads(stdout))
    finally:
        for writer in writers:
            if writer.poll() is None:
                writer.kill()
                writer.wait()
    return reports, stored_count(data_dir, database)


def test_it_counts_every_visit_from_every_process(processes_run):
    reports, _ = processes_run
    assert [report["failures"] for report in reports] == [[]] * PROCESSES
    assert sum(len(report["totals"]) for report in reports) == (
        PROCESSES * THREADS * VISITS_PER_THREAD
    )


def test_it_gives_each_concurrent_visit_its_own_total(processes_run):
    reports, _ = processes_run
    totals = [total for report in reports for total in report["totals"]]
    assert sorted(totals) == list(range(1, PROCESSES * THREADS * VISITS_PER_THREAD + 1))


def test_it_stores_the_sum_of_all_concurrent_visits(processes_run):
    _, count = processes_run
    assert count == PROCESSES * THREADS * VISITS_PER_THREAD


def page_visits(url):
    status, body = serving.get(url, timeout=60)
    shown = re.search(r'<strong id="visits">(\d+)</strong>', body)
    return status, int(shown[1]) if shown else None


@pytest.fixture(scope="module")
def http_run(tmp_path_factory, new_database):
    """(status and shown count of each page, count the API reports after)."""
    database = new_database()
    workers = {"WEB_CONCURRENCY": "2", "GUNICORN_CMD_ARGS": "--threads 4", **database}
    with serving.gunicorn(tmp_path_factory.mktemp("data"), workers) as server:
        with ThreadPoolExecutor(max_workers=16) as pool:
            pages = list(pool.map(page_visits, [f"{server.url}/"] * REQUESTS))
        visits = json.loads(serving.get(f"{server.url}/api/time")[1])["visits"]
    return pages, visits


def test_it_answers_every_concurrent_page_view(http_run):
    pages, _ = http_run
    assert [status for status, _ in pages] == [200] * REQUESTS


def test_it_shows_each_concurrent_page_view_its_own_count(http_run):
    pages, _ = http_run
    assert sorted(shown for _, shown in pages) == list(range(1, REQUESTS + 1))


def test_it_reports_every_concurrent_page_view_through_the_api(http_run):
    _, visits = http_run
    assert visits == REQUESTS
