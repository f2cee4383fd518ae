"""Find or generate the secret key as the images' user would, in a data
directory given on the command line.

Permissions do not stop root, whom the tests run as in CI; the images' user
(65532) they do. Run as root, this drops to that user, with every module the
step needs already imported: the checkout and the interpreter may live where
that user cannot read (a clone in a private directory), and the step must
fail for the data directory's sake alone. Run as anyone else, the
permissions already apply.

    python -m tests.app_user DATA_DIR [--file-size-limit BYTES]

Exit status 0 when the key is there; else one line on stderr.
"""

import argparse
import os
import resource
import signal
import sys

from django.core.exceptions import ImproperlyConfigured

from stack import log, secret_key  # noqa: F401 (log: the settings' imports)

APP_UID = 65532


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("data_dir")
    # A write beyond the limit fails in the kernel, as on a full volume.
    parser.add_argument("--file-size-limit", type=int)
    args = parser.parse_args()
    if os.geteuid() == 0:
        os.setgroups([])
        os.setgid(APP_UID)
        os.setuid(APP_UID)
    _, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    if args.file_size_limit is not None:
        # The error, not the signal that would kill the process first.
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (args.file_size_limit, hard))
    try:
        secret_key.generated(args.data_dir)
    except ImproperlyConfigured as error:
        # The limit was for the data directory, not for this message.
        resource.setrlimit(resource.RLIMIT_FSIZE, (hard, hard))
        sys.exit(f"Configuration error: {error}")


if __name__ == "__main__":
    main()
