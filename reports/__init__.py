"""The published figures and the one command that publishes them.

Tests and benchmarks leave their figures in test-results/ and change nothing
tracked. `python -m reports` (make report) carries them here, into
benchmarks.json, scale.json, reliability.json and sbom-<variant>.json, and
redraws DOCKER.md's generated sections from these files alone:

    published    the files here, read back as benchmarks/results.py's records
    benchmarks   the `images` and `benchmarks` sections, from a BenchmarkRun
    scale        the `scaling` section, from a ScaleRun
    reliability  the container suite's figures: merged, and their section
    markdown     tables, and replacing a generated section

This package is the one place that draws figures as markdown.
"""
