"""The performance targets, checked against a run's figures."""

import operator

ADDED_MB = 40
START_ABOVE_FLOOR_S = 0.6
# Share of the bare-WSGI ceiling each endpoint must reach.
CEILING_SHARE = {"/": 0.35, "/api/time": 0.50, "static": 0.60}
RUNSERVER_TIMES = 4
P99_MS, P99_CONNECTIONS = 25, "16"
MEMORY_MB = 90
REBUILD_S = 10


def failures(load):
    """Errors and non-2xx answers over every endpoint and connection level."""
    return sum(f["errors"] + f["non_2xx"] for lv in load.values() for f in lv.values())


def variant_checks(result):
    """(target, measured, limit, comparison) for one variant's figures."""
    load = result["load"]
    yield "MB added above base", result["size"]["added_mb"], ADDED_MB, operator.le
    if "startup" in result:
        start = result["startup"]
        above = start["to_first_200_s"]["median"] - start["floor_s"]["median"]
        yield "s to first 200 above floor", above, START_ABOVE_FLOOR_S, operator.le
    for label, levels in load["ceiling_ratio"].items():
        for level, share in levels.items():
            limit = CEILING_SHARE[label]
            yield f"{label} share of ceiling, {level} conn", share, limit, operator.ge
    for label, levels in load["runserver_ratio"].items():
        for level, times in levels.items():
            target = f"{label} times runserver, {level} conn"
            yield target, times, RUNSERVER_TIMES, operator.ge
    for label, levels in load["ours"].items():
        if P99_CONNECTIONS in levels:
            p99 = levels[P99_CONNECTIONS]["p99_ms"]
            yield f"{label} p99 ms, {P99_CONNECTIONS} conn", p99, P99_MS, operator.le
    yield "errors and non-2xx under load", failures(load["ours"]), 0, operator.le
    memory = result["memory"]["after_load"]["container_mb"]
    yield "container MB after load", memory, MEMORY_MB, operator.le
    if "rebuild" in result.get("build", {}):
        rebuild = result["build"]["rebuild"]["seconds"]
        yield "s to rebuild after a code change", rebuild, REBUILD_S, operator.le


def check(results):
    """Every target for every variant measured, as plain dicts."""
    return [
        {
            "target": target,
            "variant": name,
            "measured": measured,
            "limit": limit,
            "met": compare(measured, limit),
        }
        for name, result in results["variants"].items()
        for target, measured, limit, compare in variant_checks(result)
    ]
