"""The issue's targets, checked against a run's figures."""

from dataclasses import asdict, dataclass

ADDED_MB = 40
START_ABOVE_FLOOR_S = 0.6
# Share of the bare-WSGI ceiling each endpoint must reach.
CEILING_SHARE = {"/": 0.35, "/api/time": 0.50, "static": 0.60}
RUNSERVER_TIMES = 4
P99_MS, P99_CONNECTIONS = 25, "16"
MEMORY_MB = 90
REBUILD_S = 10


@dataclass
class Check:
    target: str
    variant: str
    measured: float
    limit: float
    met: bool


def at_most(target, variant, measured, limit):
    return Check(target, variant, measured, limit, measured <= limit)


def at_least(target, variant, measured, limit):
    return Check(target, variant, measured, limit, measured >= limit)


def variant_checks(name, result):
    checks = [
        at_most("MB added above base", name, result["size"]["added_mb"], ADDED_MB)
    ]
    if "startup" in result:
        above = (
            result["startup"]["to_first_200_s"]["median"]
            - result["startup"]["floor_s"]["median"]
        )
        checks.append(
            at_most("s to first 200 above floor", name, above, START_ABOVE_FLOOR_S)
        )
    load = result["load"]
    for label, levels in load["ceiling_ratio"].items():
        for level, share in levels.items():
            checks.append(
                at_least(
                    f"{label} share of ceiling, {level} conn",
                    name,
                    share,
                    CEILING_SHARE[label],
                )
            )
    for label, levels in load["runserver_ratio"].items():
        for level, times in levels.items():
            checks.append(
                at_least(
                    f"{label} times runserver, {level} conn",
                    name,
                    times,
                    RUNSERVER_TIMES,
                )
            )
    for label, levels in load["ours"].items():
        if P99_CONNECTIONS in levels:
            checks.append(
                at_most(
                    f"{label} p99 ms, {P99_CONNECTIONS} conn",
                    name,
                    levels[P99_CONNECTIONS]["p99_ms"],
                    P99_MS,
                )
            )
    failures = sum(
        figures["errors"] + figures["non_2xx"]
        for levels in load["ours"].values()
        for figures in levels.values()
    )
    checks.append(at_most("errors and non-2xx under load", name, failures, 0))
    checks.append(
        at_most(
            "container MB after load",
            name,
            result["memory"]["after_load"]["container_mb"],
            MEMORY_MB,
        )
    )
    if "rebuild" in result.get("build", {}):
        checks.append(
            at_most(
                "s to rebuild after a code change",
                name,
                result["build"]["rebuild"]["seconds"],
                REBUILD_S,
            )
        )
    return checks


def check(results):
    """Every target for every variant measured, as plain dicts."""
    return [
        asdict(c)
        for name, result in results["variants"].items()
        for c in variant_checks(name, result)
    ]
