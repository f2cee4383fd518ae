"""`python -m containers base-images`: the images to provide for a build or a run.

One line per base-image build argument of every variant, then one per image
the stacks run beside the app (their database, a proxy): `NAME TAG`, with the
tag that is pinned (the digest left out: a local stand-in or a mirror carries
tags), NAME being the variable that points a build or a stack at another.

`python -m containers host-tools`: the host's programs the tests, the
benchmarks and `make lint` run; exits 1 naming each one missing from PATH.
"""

import argparse
import sys

from containers import contract, host


def base_images():
    pinned = {}
    for variant in contract.variants().values():
        pinned.update(variant.pinned())
    pinned.update(contract.pinned_service_images())
    return [f"{name} {contract.plain_tag(ref)}" for name, ref in pinned.items()]


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m containers", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("base-images", help="the images to provide")
    commands.add_parser("host-tools", help="check the host's programs")
    if parser.parse_args(argv).command == "host-tools":
        if lacking := host.missing():
            parser.exit(1, f"missing on PATH: {'; '.join(lacking)}\n")
        print(f"on PATH: {', '.join(host.TOOLS)}")
        return 0
    print("\n".join(base_images()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
