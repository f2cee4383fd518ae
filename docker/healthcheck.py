"""The images' HEALTHCHECK: is the app ready to serve? Exit 0 if so, 1 if not.

Plain Python (urllib), because neither image has curl or wget, and the
distroless one has no shell. It asks /readyz, which answers only when the
database is reachable and migrated, on the port the images' PORT names: the
one setting it reads, so that a malformed value elsewhere cannot make it fail
for a misleading reason. When not ready, it prints why (`docker inspect`
keeps the last lines).
"""

import json
import os
import sys
import urllib.error
import urllib.request

TIMEOUT_SECONDS = 3


def main():
    port = os.environ.get("PORT", "").strip()
    if not port.isdigit():
        print(f"not ready: PORT={port!r} is not a port number", file=sys.stderr)
        return 1
    url = f"http://127.0.0.1:{port}/readyz"
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT_SECONDS) as response:
            return 0 if response.status == 200 else 1
    except urllib.error.HTTPError as error:
        try:
            reason = json.loads(error.read())["reason"]
        except (ValueError, KeyError, TypeError):
            reason = f"HTTP {error.code}"
        print(f"not ready: {reason}", file=sys.stderr)
    except OSError as error:  # URLError: nothing answers there
        print(f"not ready: {url}: {error}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
