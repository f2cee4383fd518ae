"""One run: every measurement of every variant, and of the reference servers
beside them, in one pass on one machine."""

import datetime
import re
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks import (
    build,
    gunicorn_settings,
    load,
    machine,
    memory,
    references,
    side_by_side,
    sizes,
    startup,
    targets,
)
from benchmarks.results import (
    BenchmarkRun,
    Builds,
    ColdBuild,
    Inventory,
    Memory,
    RunPlan,
    ServingLoad,
    SettingFigures,
    SettingsSweep,
    Startup,
    VariantFigures,
    from_json,
)
from containers import compose, contract, images
from containers.container import volume

# Idle memory is read after this pause, once start-up work has settled.
SETTLE_SECONDS = 2
# The throughput ceiling (bare_wsgi.py), mounted read-only into the image.
BARE_APP = Path(__file__).with_name("bare_wsgi.py")
BARE_MOUNT = "/benchmarks"


@dataclass(frozen=True)
class Plan:
    mode: str
    variants: tuple
    starts: int
    load_seconds: int
    # wrk runs per path beside the references, the best one kept.
    rounds: int
    sweep_seconds: int
    connections: tuple
    settings: tuple
    cold_build: bool


FULL = Plan(
    mode="full",
    variants=tuple(contract.variants()),
    starts=5,
    load_seconds=10,
    rounds=2,
    sweep_seconds=5,
    connections=(4, 16),
    settings=tuple(gunicorn_settings.CONFIGS),
    cold_build=True,
)
# Seconds, not minutes: every code path once, on the variant the references
# share a base with.
QUICK = Plan(
    mode="quick",
    variants=(references.BASE_VARIANT,),
    starts=1,
    load_seconds=1,
    rounds=1,
    sweep_seconds=1,
    connections=(int(targets.P99_CONNECTIONS),),
    settings=tuple(gunicorn_settings.CONFIGS)[:2],
    cold_build=False,
)


def static_path(page):
    """The first hashed static file the page links."""
    return re.search(r'(?:src|href)="(/static/[^"]+)"', page).group(1)


def loaded(container, paths, plan, seconds):
    """Figures of a warmed-up server for every path at every level."""
    load.warm_up(container.url, paths, plan.connections[-1])
    return load.measure(container.url, paths, plan.connections, seconds)


def endpoints(container):
    static = static_path(container.get("/").text)
    return {"/": "/", "/api/time": "/api/time", "static": static}


def measure_variant(variant, plan):
    web = compose.service(variant)
    tag = web["image"]
    image_id, seconds, _ = images.build(web, no_cache=plan.cold_build)
    web = {**web, "image": image_id}
    base = contract.variants()[variant].final_base()
    with volume() as data:
        inside, memory_used, served = measure_serving(web, data, plan)
        to_200, to_healthy = startup.cold_starts(web, data, plan.starts)
        floor = startup.floor(web, base, plan.starts)
    builds = None
    if plan.cold_build:
        builds = Builds(
            cold=ColdBuild(seconds=seconds, image_id=image_id),
            rebuild=build.rebuild_after_code_change(variant),
        )
    return VariantFigures(
        tag=tag,
        build=builds,
        image_id=image_id,
        size=sizes.image_sizes(image_id, base),
        inside=inside,
        memory=memory_used,
        load=served,
        startup=Startup(to_first_200_s=to_200, to_healthy_s=to_healthy, floor_s=floor),
    )


def measure_serving(web, data, plan):
    """Ours with its shipped settings, the bare-WSGI ceiling, runserver."""
    with startup.serve(web, data, "ours") as ours:
        inside = from_json(Inventory, ours.probe("inventory"))
        paths = endpoints(ours)
        time.sleep(SETTLE_SECONDS)
        idle = memory.snapshot(ours)
        ours_load = loaded(ours, paths, plan, plan.load_seconds)
        used = Memory(idle=idle, after_load=memory.snapshot(ours))
    # The image's own command (gunicorn, its config), serving bare_wsgi.app.
    image = contract.image(web["image"])
    mount = (f"--volume={BARE_APP}:{BARE_MOUNT}/{BARE_APP.name}:ro",)
    bare = (*image.config["Cmd"], "--pythonpath", BARE_MOUNT, "bare_wsgi:app")
    with startup.serve(web, data, "ceiling", mount, command=bare) as ceiling_server:
        ceiling = loaded(ceiling_server, {load.ANY_PATH: "/"}, plan, plan.load_seconds)
    # Django's development server, single process and threaded, in the image.
    dev = ("python", "manage.py", "runserver", f"0.0.0.0:{image.port}", "--noreload")
    with startup.serve(web, data, "runserver", command=dev) as runserver_server:
        runserver = loaded(runserver_server, paths, plan, plan.load_seconds)
    return (
        inside,
        used,
        ServingLoad(
            static_path=paths["static"],
            ours=ours_load,
            ceiling=ceiling,
            runserver=runserver,
            ceiling_ratio=load.ratios(ours_load, ceiling),
            runserver_ratio=load.ratios(ours_load, runserver),
        ),
    )


def setups(variants):
    """Each variant measured (VariantFigures by name), and each reference on
    the base variant's base."""
    found = [
        side_by_side.Setup(
            name=variant,
            web={**compose.service(variant), "image": result.image_id},
            paths={"/": "/", "/api/time": "/api/time"},
            base=contract.variants()[variant].final_base(),
            keeps_data=True,
        )
        for variant, result in variants.items()
    ]
    ours = variants[references.BASE_VARIANT].tag
    web = compose.service(references.BASE_VARIANT)
    found += [
        side_by_side.Setup(
            name=name,
            web={**web, "image": references.build(name, ours)},
            paths={"/": "/"},
            base=references.base(),
            keeps_data=False,
        )
        for name in references.NAMES
    ]
    return found


def compare_settings(variant, image_id, plan, beside):
    web = {**compose.service(variant), "image": image_id}
    measured = {}
    with volume() as data:
        for name in plan.settings:
            env = gunicorn_settings.CONFIGS[name]
            with startup.serve(web, data, "settings", env=env) as server:
                measured[name] = SettingFigures(
                    env=env,
                    load=loaded(server, endpoints(server), plan, plan.sweep_seconds),
                    memory_after_load=memory.snapshot(server),
                )
    return SettingsSweep(
        variant=variant,
        configs=measured,
        best=gunicorn_settings.best(measured, beside),
    )


def measure(plan):
    """A BenchmarkRun of the plan, its targets checked."""
    started = datetime.datetime.now(datetime.UTC)
    measured_on, engine = machine.describe()
    context_mb = sizes.build_context_mb()
    variants = {v: measure_variant(v, plan) for v in plan.variants}
    beside = side_by_side.measure(setups(variants), plan)
    first = plan.variants[0]
    sweep = compare_settings(first, variants[first].image_id, plan, beside.setups)
    return BenchmarkRun(
        date=started.isoformat(timespec="seconds"),
        mode=plan.mode,
        plan=RunPlan(
            starts=plan.starts,
            load_seconds=plan.load_seconds,
            sweep_seconds=plan.sweep_seconds,
            connections=list(plan.connections),
            wrk_threads=load.THREADS,
        ),
        machine=measured_on,
        engine=engine,
        build_context_mb=context_mb,
        variants=variants,
        side_by_side=beside,
        gunicorn_settings=sweep,
        targets=targets.check(variants, beside),
        duration_s=(datetime.datetime.now(datetime.UTC) - started).seconds,
    )
