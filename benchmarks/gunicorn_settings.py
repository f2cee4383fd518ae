"""gunicorn's worker settings compared, through the variables gunicorn reads.

The shipped default (docker/gunicorn.conf.py, no variable set) is measured in
the same run as the alternatives, so that the choice rests on one machine's
figures taken side by side.
"""

from benchmarks import targets

SHIPPED = "shipped default"
SYNC = "--worker-class sync --threads 1"
# Name -> environment. sync workers serve one request at a time each, so they
# get as many workers as gthread has threads in all (and one thread, which
# gunicorn otherwise takes as a request for gthread); --preload imports the
# app once in the master, before the workers fork.
CONFIGS = {
    SHIPPED: {},
    "sync, 2 workers": {"WEB_CONCURRENCY": "2", "GUNICORN_CMD_ARGS": SYNC},
    "sync, 4 workers": {"WEB_CONCURRENCY": "4", "GUNICORN_CMD_ARGS": SYNC},
    "gthread, 1 worker x 8 threads": {
        "WEB_CONCURRENCY": "1",
        "GUNICORN_CMD_ARGS": "--threads 8",
    },
    "gthread, 2 workers x 2 threads": {
        "WEB_CONCURRENCY": "2",
        "GUNICORN_CMD_ARGS": "--threads 2",
    },
    "gthread, 4 workers x 2 threads": {
        "WEB_CONCURRENCY": "4",
        "GUNICORN_CMD_ARGS": "--threads 2",
    },
    "shipped default, --preload": {"GUNICORN_CMD_ARGS": "--preload"},
}


def faces_clients(measured):
    """A worker class fit to face clients directly: compose publishes gunicorn
    with no buffering proxy in front, and a sync worker is held by one slow
    client for a whole request (gunicorn's "Deploying" docs ask for such a
    proxy before sync). Sync is measured for comparison, never chosen."""
    return "--worker-class sync" not in measured.env.get("GUNICORN_CMD_ARGS", "")


def meets_targets(measured, beside):
    """The targets for failures, the page's p99 and memory, against the
    reference servers measured beside the images (side_by_side's setups)."""
    page = measured.load["/"][targets.P99_CONNECTIONS]
    return (
        measured.failures == 0
        and page.p99_ms <= targets.page_p99_limit_ms(beside)
        and measured.memory_after_load.container_mb <= targets.memory_limit_mb(beside)
    )


def best(measured, beside):
    """The fastest setting (by SettingFigures.score) that faces clients
    safely, preferring those that meet the targets."""
    candidates = {name: m for name, m in measured.items() if faces_clients(m)}
    return max(
        candidates,
        key=lambda name: (
            meets_targets(candidates[name], beside),
            candidates[name].score,
        ),
    )
