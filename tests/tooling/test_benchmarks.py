"""The benchmark harness's pure parts: parsing, arithmetic, its records and
their JSON, and how reports/ draws them.

Nothing here starts a container; `python -m benchmarks --quick` runs the rest.
"""

import json
import re
import shlex

import pytest

from benchmarks import (
    build,
    gunicorn_settings,
    load,
    markup,
    measure,
    results,
    side_by_side,
    targets,
)
from benchmarks.references import FLASK, UVICORN
from benchmarks.results import (
    BenchmarkRun,
    Engine,
    ImageFacts,
    ImageSize,
    Inventory,
    Limits,
    LoadFigures,
    Machine,
    Memory,
    MemorySnapshot,
    RunPlan,
    ScalePlan,
    ScaleRun,
    ScaleSetup,
    ServingLoad,
    SettingFigures,
    SettingsSweep,
    SetupFigures,
    SideBySide,
    SideBySidePlan,
    Startup,
    Summary,
    VariantFigures,
    to_json,
)
from benchmarks.stats import parse_size, ratio, summary
from containers import ROOT
from reports import benchmarks as report
from reports import published
from reports import scale as scale_report
from reports.markdown import replace_section

WRK_OUTPUT = """Running 2s test @ http://127.0.0.1:8000/api/time
  2 threads and 16 connections
Requests/sec:   1200.00
WRK_RESULT {"requests": 2400, "duration_us": 2000000, "p50_us": 12100, \
"p99_us": 21850, "max_us": 40000, "errors": {"connect": 0, "read": 2, "write": 0, \
"timeout": 1}, "non_2xx": 5}
"""


def figures(rps, p99=10.0, failed=0):
    return LoadFigures(
        requests=int(rps * 10),
        requests_per_s=rps,
        p50_ms=5.0,
        p99_ms=p99,
        max_ms=p99 * 2,
        errors=failed,
        error_kinds={"timeout": failed},
        non_2xx=0,
    )


def test_it_reads_wrk_figures_from_the_script_line():
    parsed = load.parse(WRK_OUTPUT)
    assert parsed.requests_per_s == 1200
    assert parsed.p50_ms == 12.1
    assert parsed.p99_ms == 21.85
    assert parsed.errors == 3
    assert parsed.non_2xx == 5
    assert parsed.failures == 8


def test_it_refuses_wrk_output_without_the_script_line():
    with pytest.raises(ValueError, match="WRK_RESULT"):
        load.parse("Requests/sec: 1200.00\n")


def test_it_summarises_samples_by_median_min_and_max():
    assert summary([0.5, 0.3, 0.9, 0.4]) == Summary(
        median=0.45, min=0.3, max=0.9, samples=[0.5, 0.3, 0.9, 0.4]
    )


def test_it_gives_no_ratio_against_nothing():
    assert ratio(300, 600) == 0.5
    assert ratio(300, 0) is None


def test_it_compares_every_endpoint_with_the_one_ceiling():
    ours = {"/": {"16": figures(350)}, "static": {"16": figures(600)}}
    ceiling = {load.ANY_PATH: {"16": figures(1000)}}
    assert load.ratios(ours, ceiling) == {"/": {"16": 0.35}, "static": {"16": 0.6}}


def test_it_compares_each_endpoint_with_the_same_endpoint_of_runserver():
    ours = {"/": {"4": figures(400)}, "static": {"4": figures(900)}}
    runserver = {"/": {"4": figures(100)}, "static": {"4": figures(300)}}
    assert load.ratios(ours, runserver) == {"/": {"4": 4.0}, "static": {"4": 3.0}}


def test_it_reads_docker_sizes_in_binary_and_decimal_units():
    assert parse_size("45.5MiB ") == 45.5 * 2**20
    assert parse_size("3.1kB") == 3100
    with pytest.raises(ValueError):
        parse_size("lots")


def test_it_rewrites_only_the_named_generated_section():
    text = (
        "# Title\n"
        "<!-- BEGIN GENERATED: images (make bench; do not edit by hand) -->\n"
        "old images\n"
        "<!-- END GENERATED: images -->\n"
        "prose\n"
        "<!-- BEGIN GENERATED: benchmarks (make bench) -->\n"
        "old figures\n"
        "<!-- END GENERATED: benchmarks -->\n"
    )
    rewritten = replace_section(text, "benchmarks", "new figures\n")
    assert rewritten == text.replace("old figures", "new figures")


def test_it_refuses_a_document_without_the_section():
    with pytest.raises(ValueError, match="benchmarks"):
        replace_section("no markers here\n", "benchmarks", "figures")


def test_it_lists_the_steps_buildkit_took_from_its_cache():
    output = (
        "#7 [build 2/9] COPY requirements/base.txt /tmp/requirements.txt\n"
        "#7 CACHED\n"
        "#8 [build 3/9] RUN pip install --requirement /tmp/requirements.txt\n"
        "#8 CACHED\n"
        "#9 [build 6/9] COPY apps/ apps/\n"
        "#9 DONE 0.1s\n"
    )
    steps = build.cached_steps(output)
    assert len(steps) == 2
    assert any(build.DEPENDENCY_STEP in step for step in steps)
    assert not any("apps/" in step for step in steps)


def memory_snapshot(container_mb):
    return MemorySnapshot(
        container_mb=container_mb,
        processes=[],
        worker_pss_mb=[20.0],
        worker_rss_mb=[40.0],
        serving_pss_mb=30.0,
    )


def beside(flask_p99=30.0, uvicorn_mb=60.0):
    """side_by_side's setups, the references alone."""
    return {
        FLASK: setup_figures(1000, flask_p99, 0.44, 0.45, 24.0),
        UVICORN: setup_figures(1800, 16.0, 1.31, 1.30, uvicorn_mb),
    }


def test_it_picks_the_fastest_setting_that_faces_clients_safely():
    def measured(env, rps, memory_mb=80.0):
        return SettingFigures(
            env=env,
            load={"/": {"16": figures(rps)}},
            memory_after_load=memory_snapshot(memory_mb),
        )

    settings = {
        "sync": measured({"GUNICORN_CMD_ARGS": gunicorn_settings.SYNC}, 3000),
        "too big": measured({"WEB_CONCURRENCY": "8"}, 2500, memory_mb=200),
        "gthread": measured({}, 2000),
        "slower gthread": measured({"GUNICORN_CMD_ARGS": "--threads 8"}, 1500),
    }
    assert gunicorn_settings.best(settings, beside()) == "gthread"
    # 200 MB is within 1.5 times a reference that uses 140 MB.
    assert gunicorn_settings.best(settings, beside(uvicorn_mb=140)) == "too big"
    del settings["gthread"], settings["slower gthread"]
    assert gunicorn_settings.best(settings, beside()) == "too big"


def test_it_holds_a_setting_to_the_page_p99_of_flask():
    measured = SettingFigures(
        env={},
        load={"/": {"16": figures(2000, p99=31.0)}},
        memory_after_load=memory_snapshot(50.0),
    )
    assert not gunicorn_settings.meets_targets(measured, beside(flask_p99=30.0))
    assert gunicorn_settings.meets_targets(measured, beside(flask_p99=31.0))


def test_it_takes_the_static_file_from_the_page():
    page = '<link rel="icon" href="/static/clock/favicon.1a2b3c.svg" type="x">'
    assert measure.static_path(page) == "/static/clock/favicon.1a2b3c.svg"


def test_it_keeps_the_fastest_of_several_wrk_runs_and_every_try():
    runs = [figures(900, p99=40.0), figures(1100, p99=35.0, failed=2), figures(1000)]
    best = load.best(runs)
    assert (best.requests_per_s, best.p99_ms, best.failures) == (1100, 35.0, 2)
    assert best.tries_requests_per_s == [900, 1100, 1000]


OUR_PAGE = """<link rel="stylesheet" href="/static/clock/clock.0123456789ab.css">
<time class="clock" id="clock" datetime="2026-11-28T16:00:01+03:00">16:00:01</time>
<p class="visits">Visits: <strong id="visits">42</strong></p>
"""
REFERENCE_PAGE = """<link rel="stylesheet" href="/static/clock/clock.css">
<time class="clock" id="clock" datetime="2026-11-28T16:00:02.5+03:00">16:00:02</time>
<p class="visits">Visits: <strong id="visits">1</strong></p>
"""


def test_it_takes_pages_that_differ_by_hash_instant_and_count_as_the_same():
    markup.check({"alpine": OUR_PAGE, FLASK: REFERENCE_PAGE})


def test_it_refuses_a_page_with_other_markup_and_shows_the_difference():
    other = REFERENCE_PAGE.replace('class="visits"', 'class="count"')
    with pytest.raises(markup.PagesDiffer, match=r'(?s)flask.*-<p class="visits">'):
        markup.check({"alpine": OUR_PAGE, FLASK: other})


def setup_figures(
    page_rps, page_p99, first, restart, memory_mb, api_rps=None, api_failed=0
):
    paths = {"/": load.best([figures(page_rps, p99=page_p99)])}
    if api_rps is not None:
        paths["/api/time"] = load.best([figures(api_rps, failed=api_failed)])
    return SetupFigures(
        image="sha256:0123",
        first_start_s=summary([first + 0.2, first]),
        restart_s=summary([restart, restart + 0.1]),
        load=paths,
        memory_mb=memory_mb,
        added_mb=30.0,
    )


SETUPS = {
    "alpine": setup_figures(1600, 20.0, 0.70, 0.50, 50.0, api_rps=1900),
    FLASK: setup_figures(1000, 27.0, 0.44, 0.45, 24.0),
    UVICORN: setup_figures(1800, 16.0, 1.31, 1.30, 37.0),
}


def test_it_sets_our_image_against_the_references_by_their_best_starts():
    ratios = side_by_side.ratios(SETUPS, "alpine")
    assert ratios.page_times_flask == 1.6
    assert ratios.page_p99_over_flask_ms == -7.0
    assert ratios.api_times_uvicorn_page == 1900 / 1800
    assert ratios.first_start_over_flask_s == pytest.approx(0.26)
    assert ratios.restart_over_flask_s == pytest.approx(0.06)
    assert ratios.memory_times_uvicorn == 50 / 37


MACHINE = Machine(cores=2, cpu="AMD EPYC", memory_gb=24.7, kernel="6.18")
ENGINE = Engine(docker="20.10", api="1.41", compose="2.40", load_generator="wrk 4.1")


def variant_figures(static_p99=10.0, static_share=0.7):
    """One variant's figures: what the targets read, the rest plausible."""
    endpoints = {
        "/": {"16": figures(1600)},
        "/api/time": {"16": figures(1900)},
        "static": {"16": figures(3000, p99=static_p99)},
    }
    base = ImageFacts(
        image="python:3.13-alpine", size_mb=50.0, layers=1, user="0", from_registry=True
    )
    start = summary([0.5, 0.6])
    return VariantFigures(
        tag="moscow-clock:alpine",
        image_id="sha256:0123",
        size=ImageSize(
            image="sha256:0123",
            size_mb=82.0,
            layers=5,
            user="65532:65532",
            from_registry=False,
            base=base,
            added_mb=32.0,
            added_layers=4,
        ),
        inside=Inventory(
            python="3.13.5",
            packages={"Django": "6.1"},
            shells=["/bin/sh"],
            pip_importable=False,
            stdlib_compiled_share=1.0,
        ),
        memory=Memory(idle=memory_snapshot(40.0), after_load=memory_snapshot(50.0)),
        load=ServingLoad(
            static_path="/static/clock/clock.0123456789ab.css",
            ours=endpoints,
            ceiling={load.ANY_PATH: {"16": figures(4000)}},
            runserver=endpoints,
            ceiling_ratio={"static": {"16": static_share}},
            runserver_ratio={"static": {"16": 1.0}},
        ),
        startup=Startup(to_first_200_s=start, to_healthy_s=start, floor_s=start),
    )


def benchmark_run(setups):
    """A run of the alpine image beside the references, its targets checked
    as a run checks them."""
    variants = {"alpine": variant_figures()}
    beside = SideBySide(
        plan=SideBySidePlan(
            rounds=2, starts=5, load_seconds=10, connections=16, wrk_threads=2
        ),
        setups=setups,
        ratios={"alpine": side_by_side.ratios(setups, "alpine")},
    )
    setting = SettingFigures(
        env={},
        load=variants["alpine"].load.ours,
        memory_after_load=memory_snapshot(50.0),
    )
    return BenchmarkRun(
        date="2026-11-28T15:00:00+00:00",
        mode="quick",
        plan=RunPlan(
            starts=5, load_seconds=10, sweep_seconds=5, connections=[16], wrk_threads=2
        ),
        machine=MACHINE,
        engine=ENGINE,
        build_context_mb=0.06,
        variants=variants,
        side_by_side=beside,
        gunicorn_settings=SettingsSweep(
            variant="alpine",
            configs={"shipped default": setting},
            best="shipped default",
        ),
        targets=targets.check(variants, beside),
        duration_s=60,
    )


def missed(setups):
    return [check.target for check in benchmark_run(setups).missed]


def test_it_meets_every_target_when_ours_beats_the_references():
    assert missed(SETUPS) == []


def test_it_misses_the_targets_ours_falls_short_of():
    slower = {
        **SETUPS,
        "alpine": setup_figures(1400, 28.0, 0.80, 0.60, 50.0, api_rps=1900),
    }
    assert missed(slower) == [
        "`/` req/s, times Flask's",
        "`/` p99 ms over Flask's",
        "s to first 200, restart over Flask's first start",
        "s to first 200, first start over Flask's",
    ]


def test_it_counts_failures_beside_the_references_as_errors():
    failing = {
        **SETUPS,
        "alpine": setup_figures(1600, 20.0, 0.70, 0.50, 50.0, 1900, api_failed=3),
    }
    assert missed(failing) == ["errors and non-2xx under load"]


def test_it_shows_every_server_side_by_side_with_the_ratios():
    section = report.side_by_side_section(benchmark_run(SETUPS))
    figures_table, ratios_table = section.split("\n\nOurs against the references")
    assert "best of 2 runs of 10 s" in figures_table
    assert "| alpine | 1600 | 20.0 ms | 1900 | " in figures_table
    assert (
        "| flask (reference) | 1000 | 27.0 ms | — | — | 0.44 s | 0.45 s | 24.0 MB |"
        in figures_table
    )
    assert "| uvicorn (reference) | 1800 |" in figures_table
    assert "| alpine | 1.60x | -7.0 ms | 1.06x | +0.26 s | +0.06 s | 1.35x |" in (
        ratios_table
    )


def renovate_pip_compile_patterns():
    config = json.loads((ROOT / "renovate.json").read_text(encoding="utf-8"))
    return [
        re.compile(pattern.strip("/"))
        for pattern in config["pip-compile"]["managerFilePatterns"]
    ]


REFERENCE_PINS = sorted(ROOT.glob("benchmarks/references/*/requirements.txt"))


def test_it_finds_the_pins_of_both_references():
    assert [pins.parent.name for pins in REFERENCE_PINS] == [FLASK, UVICORN]


@pytest.mark.parametrize("pins", REFERENCE_PINS, ids=lambda pins: pins.parent.name)
def test_it_lets_renovate_refresh_the_pins_of_a_reference(pins):
    """Renovate matches the file, and replays the command in its header from
    the file's folder, with only `--option=value` forms."""
    name = pins.relative_to(ROOT).as_posix()
    assert any(pattern.search(name) for pattern in renovate_pip_compile_patterns())
    header = pins.read_text(encoding="utf-8").splitlines()[1]
    command = shlex.split(header.removeprefix("#"))
    assert command[:3] == ["uv", "pip", "compile"]
    options = [word for word in command[3:] if word.startswith("-")]
    sources = [word for word in command[3:] if not word.startswith("-")]
    assert [option for option in options if not option.startswith("--")] == []
    assert f"--output-file={pins.name}" in options
    assert [source for source in sources if not (pins.parent / source).is_file()] == []


def scale_setup(database, replicas, through, rps, failed=0, views=None):
    return ScaleSetup(
        database=database,
        replicas=replicas,
        through=through,
        load=load.best([figures(rps, failed=failed)]),
        page_views_per_replica=views,
    )


SCALE_RUN = ScaleRun(
    date="2026-11-28T15:00:00+00:00",
    mode="scale",
    plan=ScalePlan(rounds=2, load_seconds=10, connections=16, wrk_threads=2),
    machine=MACHINE,
    engine=ENGINE,
    variant="alpine",
    image_id="sha256:0123",
    limits={
        "proxy": Limits(cpus=0.5, memory_mb=64.0),
        "web": Limits(cpus=1.0, memory_mb=256.0),
    },
    setups=[
        scale_setup("SQLite", 1, "its published port", 900),
        scale_setup("PostgreSQL", 1, "nginx", 400),
        scale_setup("PostgreSQL", 2, "nginx", 600, failed=2, views=[450, 750]),
    ],
    duration_s=120,
)


def test_it_shows_each_replica_count_beside_the_sqlite_container():
    section = scale_report.section(SCALE_RUN)
    assert "| one container | SQLite | 900 | 5.0 ms | 10.0 ms | 0 | — |" in section
    assert "| 1 replica behind nginx | PostgreSQL | 400 |" in section
    assert (
        "| 2 replicas behind nginx | PostgreSQL | 600 | 5.0 ms | 10.0 ms | 2 "
        "| 38% / 62% |"
    ) in section
    assert "nginx to 0.5 CPU and each replica to 1 CPU" in section


def test_it_says_how_to_publish_a_scale_run_before_there_is_one():
    assert "python -m benchmarks --scale" in scale_report.section(None)


def test_it_names_a_setup_by_its_replicas_and_what_it_is_reached_through():
    one, first, second = SCALE_RUN.setups
    assert scale_report.setup_name(one) == "one container"
    assert scale_report.setup_name(first) == "1 replica behind nginx"
    assert scale_report.setup_name(second) == "2 replicas behind nginx"


def test_it_writes_a_run_as_json_that_reads_back_as_the_same_run(tmp_path):
    for run, kind in ((benchmark_run(SETUPS), BenchmarkRun), (SCALE_RUN, ScaleRun)):
        results.write(tmp_path / "run.json", run)
        assert results.read(tmp_path / "run.json", kind) == run


def test_it_leaves_out_what_a_run_did_not_measure():
    """A quick run has no build figures; the SQLite container no spread."""
    written = to_json(benchmark_run(SETUPS))
    assert "build" not in written["variants"]["alpine"]
    assert "page_views_per_replica" not in to_json(SCALE_RUN)["setups"][0]


@pytest.mark.parametrize("path", [published.BENCHMARKS, published.SCALE])
def test_it_reads_the_published_figures_losing_nothing(path):
    kind = BenchmarkRun if path == published.BENCHMARKS else ScaleRun
    run = results.read(path, kind)
    assert to_json(run) == json.loads(path.read_text(encoding="utf-8"))


def test_it_draws_the_published_figures_as_docker_md_holds_them():
    docker_md = (ROOT / "DOCKER.md").read_text(encoding="utf-8")
    sections = {
        "images": report.images_section(published.benchmarks()),
        "benchmarks": report.benchmarks_section(published.benchmarks()),
        "scaling": scale_report.section(published.scale()),
    }
    for name, body in sections.items():
        assert replace_section(docker_md, name, body) == docker_md, name


def test_it_keeps_the_benchmarks_free_of_imports_from_the_reports():
    """reports/ draws what benchmarks/ measures, never the other way round."""
    importing = [
        path.relative_to(ROOT)
        for path in ROOT.glob("benchmarks/**/*.py")
        if re.search(r"^\s*(from|import) reports\b", path.read_text(), flags=re.M)
    ]
    assert importing == []
