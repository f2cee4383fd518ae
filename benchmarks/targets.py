"""The performance targets, checked against a run's figures.

The page, the API, starts and memory are held against the reference servers
measured beside the images in the same run (side_by_side.py): what a user
would run instead. What no reference serves (static files) and what the image
adds keep limits of their own.
"""

import operator

from benchmarks.references import FLASK, UVICORN
from benchmarks.results import TargetCheck, failures

# `/` (with its visit write) against Flask's built-in server's page: req/s at
# least this many times Flask's, p99 no higher than Flask's.
PAGE_TIMES_FLASK = 1.5
# `/api/time` against uvicorn's page.
API_TIMES_UVICORN_PAGE = 1.0
# Seconds to the first 200 beyond Flask's first start: on a volume already
# migrated, and on an empty one.
RESTART_OVER_FLASK_S = 0.10
FIRST_START_OVER_FLASK_S = 0.30
# Memory after load against uvicorn's.
MEMORY_TIMES_UVICORN = 1.5
ADDED_MB = 40
STATIC_CEILING_SHARE = 0.60
STATIC_P99_MS, P99_CONNECTIONS = 25, "16"
REBUILD_S = 10


def page_p99_limit_ms(beside):
    """The page's p99 may not exceed Flask's (beside: side_by_side's setups)."""
    return beside[FLASK].load["/"].p99_ms


def memory_limit_mb(beside):
    return beside[UVICORN].memory_mb * MEMORY_TIMES_UVICORN


def variant_checks(result, ratios, side):
    """(target, measured, limit, comparison) for one variant's figures: its
    own measurements, its ratios to the references and its figures beside them."""
    le, ge = operator.le, operator.ge
    load = result.load
    yield "`/` req/s, times Flask's", ratios.page_times_flask, PAGE_TIMES_FLASK, ge
    yield "`/` p99 ms over Flask's", ratios.page_p99_over_flask_ms, 0, le
    yield (
        "`/api/time` req/s, times uvicorn's `/`",
        ratios.api_times_uvicorn_page,
        API_TIMES_UVICORN_PAGE,
        ge,
    )
    yield (
        "s to first 200, restart over Flask's first start",
        ratios.restart_over_flask_s,
        RESTART_OVER_FLASK_S,
        le,
    )
    yield (
        "s to first 200, first start over Flask's",
        ratios.first_start_over_flask_s,
        FIRST_START_OVER_FLASK_S,
        le,
    )
    yield (
        "memory after load, times uvicorn's",
        ratios.memory_times_uvicorn,
        MEMORY_TIMES_UVICORN,
        le,
    )
    yield "MB added above base", result.size.added_mb, ADDED_MB, le
    for level, share in load.ceiling_ratio["static"].items():
        target = f"static share of ceiling, {level} conn"
        yield target, share, STATIC_CEILING_SHARE, ge
    static_p99 = load.ours["static"][P99_CONNECTIONS].p99_ms
    yield f"static p99 ms, {P99_CONNECTIONS} conn", static_p99, STATIC_P99_MS, le
    served = sum(figures.failures for figures in side.load.values())
    yield "errors and non-2xx under load", failures(load.ours) + served, 0, le
    if result.build is not None and result.build.rebuild is not None:
        rebuild = result.build.rebuild.seconds
        yield "s to rebuild after a code change", rebuild, REBUILD_S, le


def check(variants, side_by_side):
    """Every target for every variant measured (VariantFigures by name),
    against its figures beside the references (SideBySide)."""
    return [
        TargetCheck(
            target=target,
            variant=name,
            measured=measured,
            limit=limit,
            met=compare(measured, limit),
        )
        for name, result in variants.items()
        for target, measured, limit, compare in variant_checks(
            result, side_by_side.ratios[name], side_by_side.setups[name]
        )
    ]
