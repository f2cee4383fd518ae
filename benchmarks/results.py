"""What a benchmark run measured, as typed records, and the JSON they are
written to and read back from.

benchmarks/ makes these records, failures and missed targets included;
reports/ reads them, from test-results/ or reports/, and draws them. Keys in
the JSON are the field names; a field left at None is left out.
"""

import dataclasses
import json
import math
import types
import typing
from dataclasses import dataclass

# Keyword-only, so that a field that may be missing (None) sits where the
# JSON has always had it, between required ones.
record = dataclass(frozen=True, kw_only=True)


@record
class LoadFigures:
    """One wrk run (or the best of several) on one path at one level."""

    requests: int
    requests_per_s: float
    p50_ms: float
    p99_ms: float
    max_ms: float
    errors: int
    error_kinds: dict[str, int]
    non_2xx: int

    @property
    def failures(self):
        """Requests that got no 2xx answer: errors, timeouts included, and
        other statuses."""
        return self.errors + self.non_2xx


@record
class BestOfRuns(LoadFigures):
    """The run with the most requests per second, and every run's rate."""

    tries_requests_per_s: list[float]


# {path label: {connections: figures}}.
type Endpoints = dict[str, dict[str, LoadFigures]]


def failures(endpoints):
    """Failures over every path and connection level."""
    return sum(f.failures for levels in endpoints.values() for f in levels.values())


def geometric_mean_rate(endpoints):
    """Geometric mean of requests/s over every path and level: no single path
    can carry it."""
    rates = [f.requests_per_s for levels in endpoints.values() for f in levels.values()]
    return math.exp(sum(math.log(rate) for rate in rates) / len(rates))


@record
class Summary:
    """Median, min and max of repeated measurements, with the samples kept."""

    median: float
    min: float
    max: float
    samples: list[float]


@record
class Machine:
    cores: int
    cpu: str | None
    memory_gb: float
    kernel: str


@record
class Engine:
    docker: str
    api: str
    compose: str
    load_generator: str


@record
class ImageFacts:
    image: str
    size_mb: float
    layers: int
    user: str
    from_registry: bool


@record
class ImageSize(ImageFacts):
    """An image, the base it is built on, and what it adds."""

    base: ImageFacts
    added_mb: float
    added_layers: int


@record
class Inventory:
    """What an image carries (containers/probes/inventory.py)."""

    python: str
    packages: dict[str, str]
    shells: list[str]
    pip_importable: bool
    stdlib_compiled_share: float


@record
class Process:
    """One process in a container (containers/probes/processes.py)."""

    pid: int
    ppid: int
    argv: list[str]
    uids: list[int]
    rss_kb: int | None
    pss_kb: int | None
    role: str


@record
class MemorySnapshot:
    container_mb: float
    processes: list[Process]
    worker_pss_mb: list[float]
    worker_rss_mb: list[float]
    serving_pss_mb: float


@record
class Memory:
    idle: MemorySnapshot
    after_load: MemorySnapshot


@record
class ServingLoad:
    """Ours, the bare-WSGI ceiling and runserver, and ours against each."""

    static_path: str
    ours: Endpoints
    ceiling: Endpoints
    runserver: Endpoints
    ceiling_ratio: dict[str, dict[str, float | None]]
    runserver_ratio: dict[str, dict[str, float | None]]


@record
class Startup:
    to_first_200_s: Summary
    to_healthy_s: Summary
    floor_s: Summary


@record
class ColdBuild:
    seconds: float
    image_id: str


@record
class Rebuild:
    seconds: float
    changed_file: str
    dependencies_cached: bool
    # Titles cut short: enough to tell the steps apart.
    cached_steps: list[str]


@record
class Builds:
    cold: ColdBuild
    rebuild: Rebuild | None = None


@record
class VariantFigures:
    tag: str
    build: Builds | None = None
    image_id: str
    size: ImageSize
    inside: Inventory
    memory: Memory
    load: ServingLoad
    startup: Startup


@record
class SideBySidePlan:
    rounds: int
    starts: int
    load_seconds: int
    connections: int
    wrk_threads: int


@record
class SetupFigures:
    """One server measured beside the others."""

    image: str
    first_start_s: Summary
    restart_s: Summary
    load: dict[str, BestOfRuns]
    memory_mb: float
    added_mb: float


@record
class Ratios:
    """One of our images against the references: what the targets are set on."""

    page_times_flask: float | None
    page_p99_over_flask_ms: float
    api_times_uvicorn_page: float | None
    first_start_over_flask_s: float
    restart_over_flask_s: float
    memory_times_uvicorn: float | None


@record
class SideBySide:
    plan: SideBySidePlan
    setups: dict[str, SetupFigures]
    ratios: dict[str, Ratios]


@record
class SettingFigures:
    """One gunicorn setting, measured."""

    env: dict[str, str]
    load: Endpoints
    memory_after_load: MemorySnapshot

    @property
    def failures(self):
        return failures(self.load)

    @property
    def score(self):
        return geometric_mean_rate(self.load)


@record
class SettingsSweep:
    variant: str
    configs: dict[str, SettingFigures]
    best: str


@record
class TargetCheck:
    target: str
    variant: str
    measured: float | None
    limit: float
    met: bool


@record
class RunPlan:
    starts: int
    load_seconds: int
    sweep_seconds: int
    connections: list[int]
    wrk_threads: int


@record
class BenchmarkRun:
    """`python -m benchmarks`: test-results/benchmarks.json."""

    date: str
    mode: str
    plan: RunPlan
    machine: Machine
    engine: Engine
    build_context_mb: float
    variants: dict[str, VariantFigures]
    side_by_side: SideBySide
    gunicorn_settings: SettingsSweep
    targets: list[TargetCheck]
    duration_s: int

    @property
    def missed(self):
        """The targets a variant missed."""
        return [check for check in self.targets if not check.met]


@record
class ScalePlan:
    rounds: int
    load_seconds: int
    connections: int
    wrk_threads: int


@record
class Limits:
    cpus: float
    memory_mb: float


@record
class ScaleSetup:
    database: str
    replicas: int
    through: str
    load: BestOfRuns
    # Through nginx: the page views each replica's access log holds.
    page_views_per_replica: list[int] | None = None


@record
class ScaleRun:
    """`python -m benchmarks --scale`: test-results/scale.json."""

    date: str
    mode: str
    plan: ScalePlan
    machine: Machine
    engine: Engine
    variant: str
    image_id: str
    limits: dict[str, Limits]
    setups: list[ScaleSetup]
    duration_s: int


def to_json(value):
    """A record as JSON's types, fields in their declared order."""
    if dataclasses.is_dataclass(value):
        return {
            f.name: to_json(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if not (getattr(value, f.name) is None and f.default is None)
        }
    if isinstance(value, dict):
        return {key: to_json(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [to_json(item) for item in value]
    return value


def from_json(kind, data):
    """`data` (JSON's types) as `kind`: a record, a dict, list or union of
    them, or a plain value taken as it is."""
    if isinstance(kind, typing.TypeAliasType):
        kind = kind.__value__
    if dataclasses.is_dataclass(kind):
        hints = typing.get_type_hints(kind)
        return kind(
            **{
                f.name: from_json(hints[f.name], data[f.name])
                for f in dataclasses.fields(kind)
                if f.name in data
            }
        )
    origin, arguments = typing.get_origin(kind), typing.get_args(kind)
    if origin is dict:
        return {key: from_json(arguments[1], item) for key, item in data.items()}
    if origin is list:
        return [from_json(arguments[0], item) for item in data]
    if origin is types.UnionType:
        if data is None:
            return None
        (kind,) = (argument for argument in arguments if argument is not type(None))
        return from_json(kind, data)
    return data


def write(path, run):
    path.write_text(json.dumps(to_json(run), indent=2) + "\n", encoding="utf-8")


def read(path, kind):
    """A run of `kind` (BenchmarkRun, ScaleRun) from its JSON file."""
    return from_json(kind, json.loads(path.read_text(encoding="utf-8")))
