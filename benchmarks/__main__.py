"""`python -m benchmarks`: measure both images; DOCKER.md from the figures.

python -m benchmarks           full run: benchmarks/results.json, DOCKER.md
python -m benchmarks --quick   seconds-long smoke run, into test-results/
python -m benchmarks --docs    DOCKER.md again from benchmarks/results.json
"""

import argparse
import json
import sys

from benchmarks import measure, report
from tests.container.stack import ROOT

RESULTS = ROOT / "benchmarks" / "results.json"
QUICK_RESULTS = ROOT / "test-results" / "benchmarks-quick"
DOCS = ROOT / "DOCKER.md"


def write_docs(results):
    text = DOCS.read_text(encoding="utf-8")
    DOCS.write_text(report.rewrite_docs(text, results), encoding="utf-8")


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--quick", action="store_true", help="the CI smoke run")
    mode.add_argument("--docs", action="store_true", help="rewrite DOCKER.md only")
    args = parser.parse_args(argv)

    if args.docs:
        write_docs(json.loads(RESULTS.read_text(encoding="utf-8")))
        return 0
    results = measure.measure(measure.QUICK if args.quick else measure.FULL)
    if args.quick:
        QUICK_RESULTS.mkdir(parents=True, exist_ok=True)
        (QUICK_RESULTS / "results.json").write_text(
            json.dumps(results, indent=2) + "\n"
        )
        markdown = report.benchmarks_section(results)
        (QUICK_RESULTS / "results.md").write_text(markdown, encoding="utf-8")
    else:
        RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
        write_docs(results)
        markdown = report.benchmarks_section(results)
    print(markdown)
    missed = [c for c in results["targets"] if not c["met"]]
    print(f"\n{len(missed)} of {len(results['targets'])} targets missed.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
