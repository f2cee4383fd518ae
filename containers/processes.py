"""gunicorn's processes inside a container, as /proc shows them there."""

from containers import wait

# Seconds for the master to have forked all its workers.
SETTLED_WITHIN = 30

# The server's own processes: `python -m gunicorn` and `manage.py runserver`,
# told by their arguments, not by docker-init's, which name gunicorn too.
SERVERS = (["-m", "gunicorn"], ["manage.py", "runserver"])


def processes(container):
    """Every process but the probe: pid, ppid, argv, uids, rss_kb, pss_kb, and
    its role: the server's master, one of its workers, or other."""
    return roles(container.probe("processes"))


def roles(found):
    """The processes, each with its role: the master is a server process whose
    parent is not one; the workers are its children."""
    pids = {p["pid"]: p for p in found}

    def serving(process):
        return process["argv"][1:3] in SERVERS

    masters = {
        p["pid"]
        for p in found
        if serving(p) and not (p["ppid"] in pids and serving(pids[p["ppid"]]))
    }
    for p in found:
        p["role"] = (
            "master"
            if p["pid"] in masters
            else "worker"
            if p["ppid"] in masters
            else "other"
        )
    return found


def gunicorn_pids(container):
    """(master pid, sorted worker pids) of the one server in the container, once
    two looks half a second apart agree: the master forks its workers one
    after another, and the first may answer before the last is forked."""

    def look():
        found = processes(container)
        masters = [p["pid"] for p in found if p["role"] == "master"]
        if len(masters) != 1:
            raise AssertionError(f"not one server master in {container.name}: {found}")
        return masters[0], sorted(p["pid"] for p in found if p["role"] == "worker")

    seen = [look()]

    def settled():
        seen.append(look())
        return seen[-1] if seen[-1] == seen[-2] else None

    return wait.until(settled, SETTLED_WITHIN, "gunicorn's workers", interval=0.5)
