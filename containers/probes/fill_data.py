"""`fill`: write a file into the data folder until it is full, print the bytes
written; `free`: remove that file again."""

import errno
import os
import sys

path = os.path.join(os.environ["DJANGO_DATA_DIR"], "probe-fill")
if sys.argv[1] == "free":
    os.unlink(path)
    sys.exit()
written = 0
with open(path, "wb") as file:
    try:
        while True:
            file.write(b"\0" * 65536)
            file.flush()
            written += 65536
    except OSError as error:
        if error.errno != errno.ENOSPC:
            raise
print(written)
