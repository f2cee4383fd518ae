"""`python -m reports` (make report): publish the figures in test-results/.

A full benchmark run (test-results/benchmarks.json) replaces
reports/benchmarks.json, and a full scale run (test-results/scale.json)
reports/scale.json; a container run (test-results/reliability.json) is
merged into reports/reliability.json; each SBOM (test-results/sbom-*.json)
replaces its namesake. DOCKER.md's generated sections are then redrawn from
reports/ alone, so that running it twice changes nothing.
"""

import json
import shutil
import sys

from benchmarks import results
from containers import RESULTS, ROOT
from reports import benchmarks, published, reliability, scale
from reports.markdown import replace_section

DOCKER_MD = ROOT / "DOCKER.md"
# Runs published whole: the one in test-results/ replaces reports/' own.
RUNS = {
    published.BENCHMARKS: results.BenchmarkRun,
    published.SCALE: results.ScaleRun,
}


def read(path):
    return json.loads(path.read_text(encoding="utf-8"))


def write(path, data):
    path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def publish():
    """Carry the figures of test-results/ into reports/; the names published."""
    published_names = []
    for report, kind in RUNS.items():
        if (RESULTS / report.name).exists():
            # Read as records first: a run that is not one is never published.
            results.write(report, results.read(RESULTS / report.name, kind))
            published_names.append(report.name)
    if (RESULTS / "reliability.json").exists():
        merged = reliability.merge(
            published.reliability(), read(RESULTS / "reliability.json")
        )
        write(published.RELIABILITY, merged)
        published_names.append(published.RELIABILITY.name)
    for sbom in sorted(RESULTS.glob("sbom-*.json")):
        shutil.copyfile(sbom, published.REPORTS / sbom.name)
        published_names.append(sbom.name)
    return published_names


def redraw():
    """DOCKER.md's generated sections from reports/."""
    run = published.benchmarks()
    text = DOCKER_MD.read_text(encoding="utf-8")
    text = replace_section(text, "images", benchmarks.images_section(run))
    text = replace_section(text, "benchmarks", benchmarks.benchmarks_section(run))
    text = replace_section(text, "scaling", scale.section(published.scale()))
    text = replace_section(
        text, "reliability", reliability.section(published.reliability())
    )
    DOCKER_MD.write_text(text, encoding="utf-8")


def main():
    names = publish()
    redraw()
    print(f"Published: {', '.join(names) or 'nothing new'}; DOCKER.md redrawn.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
