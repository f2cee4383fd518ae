"""`python -m containers base-images`: the images to provide for a build or a run.

One line per base-image build argument of every variant, then one per image
the stacks run beside the app (their database, a proxy): `NAME TAG`, with the
tag that is pinned (the digest left out: a local stand-in or a mirror carries
tags), NAME being the variable that points a build or a stack at another.
"""

import argparse
import sys

from containers import contract


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
    parser.parse_args(argv)
    print("\n".join(base_images()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
