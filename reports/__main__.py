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
from pathlib import Path

from containers import RESULTS, ROOT
from reports import benchmarks, reliability, scale
from reports.markdown import replace_section

REPORTS = Path(__file__).resolve().parent
DOCKER_MD = ROOT / "DOCKER.md"


def read(path):
    return json.loads(path.read_text(encoding="utf-8"))


def write(path, data):
    path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def publish():
    """Carry the figures of test-results/ into reports/; the names published."""
    published = []
    for name in ("benchmarks.json", "scale.json"):
        if (RESULTS / name).exists():
            shutil.copyfile(RESULTS / name, REPORTS / name)
            published.append(name)
    if (RESULTS / "reliability.json").exists():
        report = REPORTS / "reliability.json"
        merged = reliability.merge(read(report), read(RESULTS / "reliability.json"))
        write(report, merged)
        published.append("reliability.json")
    for sbom in sorted(RESULTS.glob("sbom-*.json")):
        shutil.copyfile(sbom, REPORTS / sbom.name)
        published.append(sbom.name)
    return published


def redraw():
    """DOCKER.md's generated sections from reports/."""
    figures = read(REPORTS / "benchmarks.json")
    text = DOCKER_MD.read_text(encoding="utf-8")
    text = replace_section(text, "images", benchmarks.images_section(figures))
    text = replace_section(text, "benchmarks", benchmarks.benchmarks_section(figures))
    scaled = REPORTS / "scale.json"
    text = replace_section(
        text, "scaling", scale.section(read(scaled) if scaled.exists() else None)
    )
    text = replace_section(
        text, "reliability", reliability.section(read(REPORTS / "reliability.json"))
    )
    DOCKER_MD.write_text(text, encoding="utf-8")


def main():
    published = publish()
    redraw()
    print(f"Published: {', '.join(published) or 'nothing new'}; DOCKER.md redrawn.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
