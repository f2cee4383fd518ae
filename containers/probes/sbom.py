"""The image's Python and its installed distributions, as JSON."""

import importlib.metadata
import json
import platform

distributions = [
    {"name": d.metadata["Name"], "version": d.version}
    for d in importlib.metadata.distributions()
]
print(
    json.dumps(
        {
            "python": platform.python_version(),
            "distributions": sorted(distributions, key=lambda d: d["name"].lower()),
        }
    )
)
