"""The benchmark harness's pure parts: parsing, arithmetic, DOCKER.md rewriting.

Nothing here starts a container; `python -m benchmarks --quick` runs the rest.
"""

import pytest

from benchmarks import build, gunicorn_settings, load, measure
from benchmarks.stats import parse_size, ratio, summary
from reports.markdown import replace_section

WRK_OUTPUT = """Running 2s test @ http://127.0.0.1:8000/api/time
  2 threads and 16 connections
Requests/sec:   1200.00
WRK_RESULT {"requests": 2400, "duration_us": 2000000, "p50_us": 12100, \
"p99_us": 21850, "max_us": 40000, "errors": {"connect": 0, "read": 2, "write": 0, \
"timeout": 1}, "non_2xx": 5}
"""


def figures(rps, p99=10.0, failed=0):
    return {"requests_per_s": rps, "p99_ms": p99, "errors": failed, "non_2xx": 0}


def test_it_reads_wrk_figures_from_the_script_line():
    parsed = load.parse(WRK_OUTPUT)
    assert parsed["requests_per_s"] == 1200
    assert parsed["p50_ms"] == 12.1
    assert parsed["p99_ms"] == 21.85
    assert parsed["errors"] == 3
    assert parsed["non_2xx"] == 5


def test_it_refuses_wrk_output_without_the_script_line():
    with pytest.raises(ValueError, match="WRK_RESULT"):
        load.parse("Requests/sec: 1200.00\n")


def test_it_summarises_samples_by_median_min_and_max():
    assert summary([0.5, 0.3, 0.9, 0.4]) == {
        "median": 0.45,
        "min": 0.3,
        "max": 0.9,
        "samples": [0.5, 0.3, 0.9, 0.4],
    }


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


def test_it_picks_the_fastest_setting_that_faces_clients_safely():
    def measured(env, rps, memory_mb=80.0):
        return {
            "env": env,
            "load": {"/": {"16": figures(rps)}},
            "memory_after_load": {"container_mb": memory_mb},
        }

    settings = {
        "sync": measured({"GUNICORN_CMD_ARGS": gunicorn_settings.SYNC}, 3000),
        "too big": measured({"WEB_CONCURRENCY": "8"}, 2500, memory_mb=200),
        "gthread": measured({}, 2000),
        "slower gthread": measured({"GUNICORN_CMD_ARGS": "--threads 8"}, 1500),
    }
    assert gunicorn_settings.best(settings) == "gthread"
    del settings["gthread"], settings["slower gthread"]
    assert gunicorn_settings.best(settings) == "too big"


def test_it_takes_the_static_file_from_the_page():
    page = '<link rel="icon" href="/static/clock/favicon.1a2b3c.svg" type="x">'
    assert measure.static_path(page) == "/static/clock/favicon.1a2b3c.svg"
