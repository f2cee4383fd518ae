"""What is inside an image, as the image's own Python reports it."""

import json

from tests.container.stack import run

# Shells and pip are looked for where any would be; the stdlib share tells how
# much of it a start can import without compiling (nothing can write .pyc at
# run time in a read-only image).
INVENTORY = """
import glob, importlib.util, json, os, platform, sysconfig
from importlib.metadata import version
sources = glob.glob(os.path.join(sysconfig.get_path("stdlib"), "*.py"))
compiled = [s for s in sources if os.path.exists(importlib.util.cache_from_source(s))]
print(json.dumps({
    "python": platform.python_version(),
    "packages": {name: version(name) for name in ("Django", "gunicorn", "whitenoise")},
    "shells": [p for p in ("/bin/sh", "/bin/ash", "/bin/bash") if os.path.exists(p)],
    "pip_importable": importlib.util.find_spec("pip") is not None,
    "stdlib_compiled_share": len(compiled) / len(sources),
}))
"""


def inventory(image):
    result = run(
        "docker", "run", "--rm", "--entrypoint", "python", image, "-c", INVENTORY
    )
    return json.loads(result.stdout)
