"""Our images beside the reference servers, measured alike in one run.

Every setup is started as compose starts the app (its hardening, its port
published on loopback) and loaded through that port with the same wrk
settings. Each step goes round every setup before the next try, so that a
burst of load from elsewhere on the machine falls on all of them alike:

    first starts  `docker run` to the first 200 on /, ours on an empty volume
    markup        the pages at /, compared before any load
    load          wrk on each path, best of the plan's rounds
    memory        `docker stats` after the load
    restarts      `docker run` to the first 200 on the volume of the first
                  round, migrated and loaded (a reference keeps no data: for
                  it, a restart is another first start)

Starts are compared by their best: a start cannot be faster than it can be.
"""

from contextlib import ExitStack
from dataclasses import dataclass

from benchmarks import load, markup, memory, sizes, startup
from benchmarks.references import FLASK, UVICORN
from benchmarks.results import Ratios, SetupFigures, SideBySide, SideBySidePlan
from benchmarks.stats import ratio, summary
from containers.container import volume


@dataclass(frozen=True)
class Setup:
    name: str
    # compose's resolved service, with the image to run (an id).
    web: dict
    # {label: path} loaded with wrk.
    paths: dict
    # The image it is built on, for the size it adds.
    base: str
    # Whether it keeps data on a volume at the image's data path.
    keeps_data: bool


def measure(setups, plan):
    """Every setup's figures, and each of ours against the references."""
    connections = plan.connections[-1]
    with ExitStack() as volumes:

        def data(setup):
            return volumes.enter_context(volume()) if setup.keeps_data else None

        empty = {
            setup.name: [data(setup) for _ in range(plan.starts)] for setup in setups
        }
        first_starts = rounds(plan.starts, setups, lambda s, i: empty[s.name][i])
        # Each setup's volume of the first round, as its first start left it.
        used = {name: each[0] for name, each in empty.items()}
        served = serve(setups, used, plan, connections)
        restarts = rounds(plan.starts, setups, lambda s, _: used[s.name])
    figures = {
        setup.name: SetupFigures(
            image=setup.web["image"],
            first_start_s=summary(first_starts[setup.name]),
            restart_s=summary(restarts[setup.name]),
            load=served[setup.name][0],
            memory_mb=served[setup.name][1],
            added_mb=sizes.image_sizes(setup.web["image"], setup.base).added_mb,
        )
        for setup in setups
    }
    ours = [setup.name for setup in setups if setup.keeps_data]
    return SideBySide(
        plan=SideBySidePlan(
            rounds=plan.rounds,
            starts=plan.starts,
            load_seconds=plan.load_seconds,
            connections=connections,
            wrk_threads=load.THREADS,
        ),
        setups=figures,
        ratios={name: ratios(figures, name) for name in ours},
    )


def rounds(count, setups, volume_of):
    """{setup: [seconds to the first 200]}, count rounds over every setup;
    volume_of(setup, round) is the volume each start gets."""
    seconds = {setup.name: [] for setup in setups}
    for i in range(count):
        for setup in setups:
            seconds[setup.name].append(
                startup.first_200(setup.web, volume_of(setup, i))
            )
    return seconds


def serve(setups, used, plan, connections):
    """{setup: ({label: best figures}, memory MB)}, with every setup running
    at once, each idle while another is loaded."""
    with ExitStack() as running:
        servers = {
            setup.name: running.enter_context(
                startup.serve(setup.web, used[setup.name], "side-by-side")
            )
            for setup in setups
        }
        # A page that differs would make every figure after this meaningless.
        markup.check({name: server.get("/").text for name, server in servers.items()})
        for setup in setups:
            load.warm_up(servers[setup.name].url, setup.paths, connections)
        runs = {setup.name: {label: [] for label in setup.paths} for setup in setups}
        for _ in range(plan.rounds):
            for setup in setups:
                for label, path in setup.paths.items():
                    url = servers[setup.name].url + path
                    figures = load.wrk(url, connections, plan.load_seconds)
                    runs[setup.name][label].append(figures)
        return {
            name: (
                {label: load.best(tries) for label, tries in runs[name].items()},
                memory.container_mb(server),
            )
            for name, server in servers.items()
        }


def ratios(figures, name):
    """One of our images against the references: what the targets are set on."""
    ours, flask, uvicorn = figures[name], figures[FLASK], figures[UVICORN]
    page, flask_page = ours.load["/"], flask.load["/"]
    flask_start = flask.first_start_s.min
    return Ratios(
        page_times_flask=ratio(page.requests_per_s, flask_page.requests_per_s),
        page_p99_over_flask_ms=page.p99_ms - flask_page.p99_ms,
        api_times_uvicorn_page=ratio(
            ours.load["/api/time"].requests_per_s, uvicorn.load["/"].requests_per_s
        ),
        first_start_over_flask_s=ours.first_start_s.min - flask_start,
        restart_over_flask_s=ours.restart_s.min - flask_start,
        memory_times_uvicorn=ratio(ours.memory_mb, uvicorn.memory_mb),
    )
