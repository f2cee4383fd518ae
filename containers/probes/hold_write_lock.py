"""Hold SQLite's write lock on the app's database for argv[1] seconds: says
`locked` once it has it, so that a request is held in flight meanwhile."""

import os
import sqlite3
import sys
import time

path = os.path.join(os.environ["DJANGO_DATA_DIR"], "db.sqlite3")
database = sqlite3.connect(path, isolation_level=None)
database.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
time.sleep(float(sys.argv[1]))
database.execute("COMMIT")
