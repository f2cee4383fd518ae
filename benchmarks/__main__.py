"""`python -m benchmarks`: measure both images beside the reference servers,
into test-results/.

python -m benchmarks                   full run: test-results/benchmarks.json
python -m benchmarks --quick           seconds-long smoke run: benchmarks-quick.json
python -m benchmarks --scale           replicas on PostgreSQL behind nginx, beside
                                       one container on SQLite: scale.json
python -m benchmarks --scale --quick   the same, every step once: scale-quick.json

Each prints where its figures went (benchmarks/results.py records, as JSON)
and, for a run of the images, the targets missed. `make report` then
publishes a full run and a full scale run in reports/ and DOCKER.md.
"""

import argparse
import sys

from benchmarks import measure, results, scale
from containers import RESULTS, host


def write(name, run):
    RESULTS.mkdir(exist_ok=True)
    results.write(RESULTS / name, run)
    print(f"Figures in {(RESULTS / name).relative_to(RESULTS.parent)}.")


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
        run = scale.measure(scale.QUICK if args.quick else scale.FULL)
        write(f"{run.mode}.json", run)
        for setup in run.setups:
            print(
                f"{setup.replicas} x {setup.database} through {setup.through}: "
                f"{setup.load.requests_per_s:.0f} req/s, "
                f"{setup.load.failures} failed"
            )
        return 0
    run = measure.measure(measure.QUICK if args.quick else measure.FULL)
    write("benchmarks-quick.json" if args.quick else "benchmarks.json", run)
    for check in run.missed:
        print(
            f"missed: {check.variant}, {check.target}: "
            f"{check.measured:.2f} against {check.limit:.2f}"
        )
    print(f"{len(run.missed)} of {len(run.targets)} targets missed.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
