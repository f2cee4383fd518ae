"""`python -m benchmarks`: measure both images side by side, into test-results/.

python -m benchmarks           full run: test-results/benchmarks.json
python -m benchmarks --quick   seconds-long smoke run: benchmarks-quick.json

`make report` then publishes a full run in reports/ and DOCKER.md.
"""

import argparse
import json
import sys

from benchmarks import measure
from containers import RESULTS
from reports import benchmarks as markdown


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="the CI smoke run")
    args = parser.parse_args(argv)
    results = measure.measure(measure.QUICK if args.quick else measure.FULL)
    RESULTS.mkdir(exist_ok=True)
    name = "benchmarks-quick.json" if args.quick else "benchmarks.json"
    (RESULTS / name).write_text(json.dumps(results, indent=2) + "\n")
    print(markdown.benchmarks_section(results))
    missed = [c for c in results["targets"] if not c["met"]]
    print(f"\n{len(missed)} of {len(results['targets'])} targets missed.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
