"""One run: every measurement of every variant, in one pass on one machine."""

import datetime
import time
from dataclasses import dataclass

from benchmarks import (
    build,
    containers,
    contents,
    gunicorn_settings,
    load,
    machine,
    memory,
    sizes,
    startup,
    targets,
)
from tests.container.stack import variants

# Idle memory is read after this pause, once start-up work has settled.
SETTLE_SECONDS = 2
WARM_UP_SECONDS = 1


@dataclass(frozen=True)
class Plan:
    mode: str
    variants: tuple
    starts: int
    load_seconds: int
    sweep_seconds: int
    connections: tuple
    settings: tuple
    cold_build: bool


FULL = Plan(
    mode="full",
    variants=tuple(variants()),
    starts=5,
    load_seconds=10,
    sweep_seconds=5,
    connections=(4, 16),
    settings=tuple(gunicorn_settings.CONFIGS),
    cold_build=True,
)
# Seconds, not minutes: every code path once, on the first variant.
QUICK = Plan(
    mode="quick",
    variants=tuple(variants()[:1]),
    starts=1,
    load_seconds=1,
    sweep_seconds=1,
    connections=(int(targets.P99_CONNECTIONS),),
    settings=tuple(gunicorn_settings.CONFIGS)[:2],
    cold_build=False,
)


def serve(web, volume, kind, env=None, command=(), mounts=()):
    """A started container that has answered 200 on /."""
    container = containers.start(web, volume, kind, env, command, mounts)
    try:
        containers.wait_for_200(container, time.monotonic())
    except BaseException:
        container.remove()
        raise
    return container


def loaded(container, paths, plan, seconds):
    """Figures of a warmed-up server for every path at every level."""
    load.measure(container, paths, plan.connections[-1:], WARM_UP_SECONDS)
    return load.measure(container, paths, plan.connections, seconds)


def measure_variant(variant, plan):
    web = containers.service(variant)
    result = {"tag": web["image"]}
    if plan.cold_build:
        result["build"] = {"cold": build.cold_build(web)}
        image_id = result["build"]["cold"]["image_id"]
    else:
        image_id = build.built_image(build.build(web, web["image"])[1])
    web = {**web, "image": image_id}
    result["image_id"] = image_id
    result["size"] = sizes.image_sizes(web)
    result["inside"] = contents.inventory(web["image"])
    volume = containers.new_volume()
    try:
        result["memory"], result["load"] = measure_serving(web, volume, plan)
        result["startup"] = {
            **startup.cold_starts(web, volume, plan.starts),
            "floor_s": startup.floor(web, result["size"]["base"]["image"], plan.starts),
        }
    finally:
        containers.remove_volume(volume)
    if plan.cold_build:
        result["build"]["rebuild"] = build.rebuild_after_code_change(variant)
    return result


def measure_serving(web, volume, plan):
    """Ours with its shipped settings, the bare-WSGI ceiling, runserver."""
    ours = serve(web, volume, "ours")
    try:
        static = containers.static_path(ours.get("/").text)
        paths = {"/": "/", "/api/time": "/api/time", "static": static}
        time.sleep(SETTLE_SECONDS)
        idle = memory.snapshot(ours)
        ours_load = loaded(ours, paths, plan, plan.load_seconds)
        used = {"idle": idle, "after_load": memory.snapshot(ours)}
    finally:
        ours.remove()
    command, mounts = containers.bare_command()
    bare = serve(web, volume, "ceiling", command=command, mounts=mounts)
    try:
        ceiling = loaded(bare, {load.ANY_PATH: "/"}, plan, plan.load_seconds)
    finally:
        bare.remove()
    dev = serve(web, volume, "runserver", command=containers.runserver_command(web))
    try:
        runserver = loaded(dev, paths, plan, plan.load_seconds)
    finally:
        dev.remove()
    return used, {
        "static_path": static,
        "ours": ours_load,
        "ceiling": ceiling,
        "runserver": runserver,
        "ceiling_ratio": load.ratios(ours_load, ceiling),
        "runserver_ratio": load.ratios(ours_load, runserver),
    }


def compare_settings(variant, image_id, plan):
    web = {**containers.service(variant), "image": image_id}
    measured = {}
    volume = containers.new_volume()
    try:
        for name in plan.settings:
            env = gunicorn_settings.CONFIGS[name]
            server = serve(web, volume, "settings", env=env)
            try:
                static = containers.static_path(server.get("/").text)
                paths = {"/": "/", "/api/time": "/api/time", "static": static}
                measured[name] = {
                    "env": env,
                    "load": loaded(server, paths, plan, plan.sweep_seconds),
                    "memory_after_load": memory.snapshot(server),
                }
            finally:
                server.remove()
    finally:
        containers.remove_volume(volume)
    return {"variant": variant, "configs": measured}


def measure(plan):
    started = datetime.datetime.now(datetime.UTC)
    results = {
        "date": started.isoformat(timespec="seconds"),
        "mode": plan.mode,
        "plan": {
            "starts": plan.starts,
            "load_seconds": plan.load_seconds,
            "sweep_seconds": plan.sweep_seconds,
            "connections": list(plan.connections),
            "wrk_threads": load.THREADS,
        },
        **machine.describe(),
        "build_context_mb": sizes.build_context_mb(),
        "variants": {v: measure_variant(v, plan) for v in plan.variants},
    }
    first = plan.variants[0]
    results["gunicorn_settings"] = compare_settings(
        first, results["variants"][first]["image_id"], plan
    )
    results["targets"] = targets.check(results)
    results["duration_s"] = (datetime.datetime.now(datetime.UTC) - started).seconds
    return results
