"""`python -m containers base-images [REFERENCE...]`: the base images to provide.

One line per base-image build argument of every variant, `NAME TAG`, with the
tag its Dockerfile pins (the digest left out: a local stand-in or a mirror
carries tags); then `- TAG` for each further reference given (the images a
stack runs beside the app, such as its database).
"""

import argparse
import sys

from containers import contract


def base_images(extra):
    pinned = {}
    for variant in contract.variants().values():
        pinned.update(variant.pinned())
    lines = [f"{name} {contract.plain_tag(ref)}" for name, ref in pinned.items()]
    return lines + [f"- {contract.plain_tag(ref)}" for ref in extra]


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m containers", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    listing = commands.add_parser("base-images", help="the base images to provide")
    listing.add_argument("references", nargs="*", metavar="REFERENCE")
    args = parser.parse_args(argv)
    print("\n".join(base_images(args.references)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
