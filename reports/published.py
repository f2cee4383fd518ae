"""The figures published in reports/, read back as the records benchmarks/
made them (benchmarks/results.py)."""

import json

from benchmarks import results
from containers import ROOT

REPORTS = ROOT / "reports"
BENCHMARKS = REPORTS / "benchmarks.json"
SCALE = REPORTS / "scale.json"
RELIABILITY = REPORTS / "reliability.json"


def benchmarks():
    """The published BenchmarkRun."""
    return results.read(BENCHMARKS, results.BenchmarkRun)


def scale():
    """The published ScaleRun, or None before one is published."""
    return results.read(SCALE, results.ScaleRun) if SCALE.exists() else None


def reliability():
    """The container suite's figures, merged over its runs (reliability.py)."""
    return json.loads(RELIABILITY.read_text(encoding="utf-8"))
