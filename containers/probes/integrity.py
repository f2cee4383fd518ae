"""SQLite's own integrity check of the app's database: `ok` when whole."""

import os
import sqlite3

database = sqlite3.connect(os.path.join(os.environ["DJANGO_DATA_DIR"], "db.sqlite3"))
print(database.execute("PRAGMA integrity_check").fetchone()[0])
