"""The images' HEALTHCHECK: is the app ready to serve? Exit 0 if so, 1 if not.

Plain Python (urllib), because neither image has curl or wget, and the
distroless one has no shell. It asks /readyz, which answers only when the
database is reachable and migrated, on the port gunicorn's config binds.
"""

import runpy
import sys
import urllib.request
from pathlib import Path

CONFIG = Path(__file__).with_name("gunicorn.conf.py")
# gunicorn's config imports the project's env helpers, from the project root.
sys.path.insert(0, str(CONFIG.parent.parent))
TIMEOUT_SECONDS = 3


def main():
    port = runpy.run_path(str(CONFIG))["bind"].rsplit(":", 1)[1]
    url = f"http://127.0.0.1:{port}/readyz"
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT_SECONDS) as response:
            return 0 if response.status == 200 else 1
    except OSError as error:  # URLError and HTTPError (503) are OSErrors
        print(f"not ready: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
