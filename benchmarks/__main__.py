"""`python -m benchmarks`: measure both images beside the reference servers,
into test-results/.

python -m benchmarks                   full run: test-results/benchmarks.json
python -m benchmarks --quick           seconds-long smoke run: benchmarks-quick.json
python -m benchmarks --scale           replicas on PostgreSQL behind nginx, beside
                                       one container on SQLite: scale.json
python -m benchmarks --scale --quick   the same, every step once: scale-quick.json

`make report` then publishes a full run and a full scale run in reports/ and
DOCKER.md.
"""

import argparse
import json
import sys

from benchmarks import measure, scale
from containers import RESULTS, host
from reports import benchmarks as markdown
from reports import scale as scale_markdown


def write(name, results):
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / name).write_text(json.dumps(results, indent=2) + "\n")


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--quick", action="store_true", help="the CI smoke run")
    parser.add_argument(
        "--scale", action="store_true", help="web replicas behind nginx instead"
    )
    args = parser.parse_args(argv)
    if lacking := host.missing(host.BENCHMARKS):
        parser.exit(1, f"{parser.prog}: missing on PATH: {'; '.join(lacking)}\n")
    if args.scale:
        results = scale.measure(scale.QUICK if args.quick else scale.FULL)
        write(f"{results['mode']}.json", results)
        print(scale_markdown.section(results))
        return 0
    results = measure.measure(measure.QUICK if args.quick else measure.FULL)
    write("benchmarks-quick.json" if args.quick else "benchmarks.json", results)
    print(markdown.benchmarks_section(results))
    missed = [c for c in results["targets"] if not c["met"]]
    print(f"\n{len(missed)} of {len(results['targets'])} targets missed.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
