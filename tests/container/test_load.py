"""Each image under load: every page view answered and counted, and slow
clients unable to shut the others out."""

from containers.processes import gunicorn_pids
from tests.container.load import REQUEST_TIMEOUT, Load, Tricklers

# How long a visitor may wait for the page while slow clients hold connections.
SERVED_WITHIN_SECONDS = 5


def visits(stack):
    return stack.get("/api/time").json()["visits"]


def test_it_counts_every_page_view_under_load(stack, reliability, load_seconds):
    _, workers = gunicorn_pids(stack.container())
    clients = 4 * len(workers)
    before = visits(stack)
    tally = Load(stack.url, clients, load_seconds).run()
    counted = visits(stack) - before
    reliability(
        stack.variant,
        "load",
        "page views",
        {
            "clients": clients,
            "workers": len(workers),
            "seconds": load_seconds,
            **tally.summary(),
            "visits_counted": counted,
            "data_lost": tally.ok - counted,
        },
    )
    assert tally.ok > 0
    assert tally.statuses == {200: tally.ok}
    assert tally.failures == {}
    assert counted == tally.ok


def test_it_serves_others_while_slow_clients_trickle_their_headers(stack, reliability):
    """As many never-ending requests as there are workers (each worker has
    threads to spare: see DOCKER.md on slow clients) leave the page served
    within SERVED_WITHIN_SECONDS."""
    _, workers = gunicorn_pids(stack.container())
    slow = len(workers)
    answers = []
    with Tricklers(stack.port, slow):
        for _ in range(2 * len(workers) + 2):
            answers.append(stack.get("/", timeout=SERVED_WITHIN_SECONDS).status)
        # Still trickling, not closed by the server: they hold their threads.
        still_open = stack.get("/healthz", timeout=REQUEST_TIMEOUT).status
    reliability(
        stack.variant,
        "load",
        "beside slow clients",
        {
            "slow_connections": slow,
            "workers": len(workers),
            "served_within_seconds": SERVED_WITHIN_SECONDS,
            "requests": len(answers),
            "ok": answers.count(200),
            "server_errors": sum(status >= 500 for status in answers),
        },
    )
    assert answers == [200] * len(answers)
    assert still_open == 200
