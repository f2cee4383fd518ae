"""Memory: the container's as Docker counts it, and each process's own."""

from benchmarks.results import MemorySnapshot, Process
from benchmarks.stats import parse_size
from containers.docker import docker
from containers.processes import processes


def container_mb(container):
    """The container's memory use as `docker stats` reports it."""
    usage = docker(
        *("stats", "--no-stream", "--format", "{{.MemUsage}}"),
        container.name,
    ).stdout
    return parse_size(usage.split("/")[0]) / 1e6


def snapshot(container):
    found = [Process(**p) for p in processes(container)]
    workers = [p for p in found if p.role == "worker"]
    return MemorySnapshot(
        container_mb=container_mb(container),
        processes=found,
        worker_pss_mb=[p.pss_kb / 1e3 for p in workers],
        worker_rss_mb=[p.rss_kb / 1e3 for p in workers],
        serving_pss_mb=sum(p.pss_kb for p in found if p.role != "other") / 1e3,
    )
