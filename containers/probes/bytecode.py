"""The compiled files under the folders given that are not unchecked-hash pycs
(PEP 552: flags 0b01), which would hold a time or check their source, as JSON."""

import json
import pathlib
import sys

UNCHECKED_HASH = 0b01
print(
    json.dumps(
        sorted(
            str(path)
            for folder in sys.argv[1:]
            for path in pathlib.Path(folder).rglob("*.pyc")
            if int.from_bytes(path.read_bytes()[4:8], "little") != UNCHECKED_HASH
        )
    )
)
