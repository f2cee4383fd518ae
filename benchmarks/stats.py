"""Small arithmetic on measurements: summaries, ratios, docker's size units."""

import re
import statistics

from benchmarks.results import Summary

UNITS = {"B": 1, "KIB": 2**10, "MIB": 2**20, "GIB": 2**30, "KB": 1e3, "MB": 1e6}


def summary(samples):
    """Median, min and max of repeated measurements, with the samples kept."""
    return Summary(
        median=statistics.median(samples),
        min=min(samples),
        max=max(samples),
        samples=list(samples),
    )


def ratio(ours, other):
    """ours / other, or None where the other measured nothing."""
    return ours / other if other else None


def parse_size(text):
    """Bytes in a docker size such as `45.2MiB` or `3.1kB`."""
    match = re.fullmatch(r"\s*([\d.]+)\s*([KMG]?i?B)\s*", text, flags=re.IGNORECASE)
    if match is None:
        raise ValueError(f"not a size: {text!r}")
    return float(match.group(1)) * UNITS[match.group(2).upper()]
