"""Scaling out: `/` through nginx with 1, 2 and 3 web replicas on PostgreSQL,
beside one container on SQLite, in one run.

The replicas are deploy/swarm/stack.yaml deployed on a single-node swarm (one
is made if none is active, and left only then) under a name of its own, and
scaled between measurements; the SQLite container is the image run as compose
runs it, reached through its own published port. Each of the stack's wrk runs
is followed by one on the SQLite container, so that load from elsewhere falls
on both alike; the SQLite figures are the best of all of them. The replicas'
own access logs say how nginx spread the measured page views between them.
"""

import datetime
import re
import time
from dataclasses import dataclass

from benchmarks import load, machine, startup
from benchmarks.results import Limits, ScalePlan, ScaleRun, ScaleSetup
from containers import ROOT, compose, contract, images, swarm, wait
from containers.container import volume
from containers.docker import docker, new_name
from containers.http import free_port

# nginx's configuration: its resolver keeps an answer `valid=` seconds, after
# which it sees a replica that joined.
NGINX_TEMPLATE = ROOT / "docker" / "nginx" / "default.conf.template"
# A page view as gunicorn's access log (a replica's stdout) records it.
PAGE_VIEW = '"GET / HTTP/1.1" 200'


@dataclass(frozen=True)
class Plan:
    mode: str
    replicas: tuple
    rounds: int
    load_seconds: int
    connections: int


FULL = Plan(mode="scale", replicas=(1, 2, 3), rounds=2, load_seconds=10, connections=16)
# Every step once, in seconds: to see that the mode works, not to measure.
QUICK = Plan(
    mode="scale-quick", replicas=(1, 2, 3), rounds=1, load_seconds=2, connections=16
)


def resolve_seconds():
    """Seconds until nginx has seen a change of replicas, and one to spare."""
    text = NGINX_TEMPLATE.read_text(encoding="utf-8")
    return int(re.search(r"^resolver .*\bvalid=(\d+)s", text, re.MULTILINE)[1]) + 1


def page_views(containers):
    """{container: page views its access log holds so far}."""
    return {c: docker("logs", c).stdout.count(PAGE_VIEW) for c in containers}


def limits(stack, service):
    """The CPU and memory limits the stack file sets on a service."""
    found = stack.inspect(service)["Spec"]["TaskTemplate"]["Resources"]["Limits"]
    return Limits(cpus=found["NanoCPUs"] / 1e9, memory_mb=found["MemoryBytes"] / 1e6)


def measure(plan):
    """A ScaleRun of the plan."""
    started = datetime.datetime.now(datetime.UTC)
    measured_on, engine = machine.describe()
    variant = next(iter(contract.variants()))
    web = compose.service(variant)
    image_id, _, _ = images.build(web)
    repository = web["image"].rpartition(":")[0]
    stack = swarm.SwarmStack(
        new_name("scale"),
        {
            "APP_IMAGE": repository,
            "APP_TAG": variant,
            "HTTP_PORT": str(free_port()),
            "HTTPS_PORT": str(free_port()),
            "WEB_REPLICAS": str(plan.replicas[0]),
        },
    )
    created = swarm.init()
    try:
        with (
            volume() as data,
            startup.serve({**web, "image": image_id}, data, "scale") as sqlite,
        ):
            stack.create_secrets()
            stack.deploy()
            stack.wait_running("db", 1)
            stack.wait_running("proxy", 1)
            load.warm_up(sqlite.url, {"/": "/"}, plan.connections)
            sqlite_runs, replicated, spread = [], {}, {}
            for replicas in plan.replicas:
                stack.deploy(WEB_REPLICAS=str(replicas))
                stack.wait_running("web", replicas)
                time.sleep(resolve_seconds())
                wait.answer(stack.url + "/readyz", swarm.WAIT_SECONDS, 200)
                load.warm_up(stack.url, {"/": "/"}, plan.connections)
                before = page_views(stack.containers("web"))
                runs = []
                for _ in range(plan.rounds):
                    runs.append(
                        load.wrk(stack.url + "/", plan.connections, plan.load_seconds)
                    )
                    sqlite_runs.append(
                        load.wrk(sqlite.url + "/", plan.connections, plan.load_seconds)
                    )
                replicated[replicas] = runs
                after = page_views(before)
                spread[replicas] = sorted(after[c] - before[c] for c in before)
            stack_limits = {
                service: limits(stack, service) for service in ("proxy", "web")
            }
    finally:
        stack.remove()
        if created:
            swarm.leave()
    return ScaleRun(
        date=started.isoformat(timespec="seconds"),
        mode=plan.mode,
        plan=ScalePlan(
            rounds=plan.rounds,
            load_seconds=plan.load_seconds,
            connections=plan.connections,
            wrk_threads=load.THREADS,
        ),
        machine=measured_on,
        engine=engine,
        variant=variant,
        image_id=image_id,
        limits=stack_limits,
        setups=[
            ScaleSetup(
                database="SQLite",
                replicas=1,
                through="its published port",
                load=load.best(sqlite_runs),
            ),
            *(
                ScaleSetup(
                    database="PostgreSQL",
                    replicas=replicas,
                    through="nginx",
                    load=load.best(runs),
                    page_views_per_replica=spread[replicas],
                )
                for replicas, runs in replicated.items()
            ),
        ],
        duration_s=(datetime.datetime.now(datetime.UTC) - started).seconds,
    )
