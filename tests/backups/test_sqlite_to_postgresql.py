"""Moving from SQLite to PostgreSQL as DOCKER.md's "Backups and restore" says:
dumpdata with natural keys, content types and permissions left to migrate on
the new side, loaddata there. The visit count, the users and the admin log
arrive exactly, and the sequences continue after the loaded rows."""

import json

from tests.backups.commands import manage, migrated, set_count

# DOCKER.md's command, flag for flag.
DUMP = (
    "dumpdata",
    "--natural-foreign",
    "--natural-primary",
    "--exclude=contenttypes",
    "--exclude=auth.permission",
)
LOAD = ("loaddata", "--format=json", "-")

FILL = """
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Permission, User
from apps.clock.models import VisitCounter
keeper = User.objects.create_superuser("keeper", "k@example.org", "a long passphrase")
viewer = User.objects.create_user("viewer", "v@example.org", "another passphrase")
viewer.user_permissions.add(Permission.objects.get(codename="view_visitcounter"))
for _ in range(3):
    LogEntry.objects.log_actions(
        keeper.pk, [VisitCounter.objects.get()], CHANGE, change_message="reset"
    )
"""

ADD_MORE = """
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.auth.models import User
newcomer = User.objects.create_user("newcomer")
LogEntry.objects.log_actions(newcomer.pk, [newcomer], ADDITION)
print(User.objects.count(), LogEntry.objects.count())
"""


def ran(result):
    assert result.returncode == 0, result.stderr.decode()
    return result.stdout


def records(dump):
    """The dumped objects, in an order that does not depend on the database."""
    return sorted(json.loads(dump), key=lambda record: json.dumps(record))


def test_the_documented_move_carries_everything_over_exactly(tmp_path, postgres_url):
    sqlite = migrated(tmp_path / "sqlite")
    ran(manage(sqlite, "shell", "--command", FILL))
    set_count(sqlite, 123_456)
    dump = ran(manage(sqlite, *DUMP))

    postgresql = {"DATABASE_URL": postgres_url}
    ran(manage(tmp_path / "sqlite", "migrate", "--verbosity=0", env=postgresql))
    ran(manage(tmp_path / "sqlite", *LOAD, input=dump, env=postgresql))

    moved = ran(manage(tmp_path / "sqlite", *DUMP, env=postgresql))
    assert records(moved) == records(dump)
    by_model = {}
    for record in json.loads(moved):
        by_model.setdefault(record["model"], []).append(record)
    assert by_model["clock.visitcounter"][0]["fields"]["count"] == 123_456
    assert len(by_model["auth.user"]) == 2
    assert len(by_model["admin.logentry"]) == 3
    # New rows take the next ids, past the loaded ones.
    counts = ran(manage(tmp_path / "sqlite", "shell", "-c", ADD_MORE, env=postgresql))
    assert counts.splitlines()[-1].split() == [b"3", b"4"]
