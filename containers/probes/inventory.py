"""What the image carries, as its own Python reports it, as JSON.

Shells and pip are looked for where any would be; the stdlib share tells how
much of it a start can import without compiling (nothing can write .pyc at
run time in a read-only image).
"""

import glob
import importlib.util
import json
import os
import platform
import sysconfig
from importlib.metadata import version

sources = glob.glob(os.path.join(sysconfig.get_path("stdlib"), "*.py"))
compiled = [s for s in sources if os.path.exists(importlib.util.cache_from_source(s))]
print(
    json.dumps(
        {
            "python": platform.python_version(),
            "packages": {n: version(n) for n in ("Django", "gunicorn", "whitenoise")},
            "shells": [
                p for p in ("/bin/sh", "/bin/ash", "/bin/bash") if os.path.exists(p)
            ],
            "pip_importable": importlib.util.find_spec("pip") is not None,
            "stdlib_compiled_share": len(compiled) / len(sources),
        }
    )
)
