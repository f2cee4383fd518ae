"""Memory: the container's as Docker counts it, and each process's own."""

import json

from benchmarks.stats import parse_size
from tests.container.stack import run

# Run inside the container by its own python: every process of the container's
# user, with VmRSS from status and Pss (shared pages split among their users)
# from smaps_rollup, in kB. The probe itself is left out.
PROCESSES = """
import json, os, re
rows = []
for pid in filter(str.isdigit, os.listdir("/proc")):
    if int(pid) == os.getpid():
        continue
    try:
        status = open(f"/proc/{pid}/status").read()
        rollup = open(f"/proc/{pid}/smaps_rollup").read()
        cmdline = open(f"/proc/{pid}/cmdline").read()
    except OSError:
        continue
    kb = lambda text, key: int(re.search(rf"^{key}:\\s+(\\d+)", text, re.M).group(1))
    rows.append({"pid": int(pid), "ppid": kb(status, "PPid"),
                 "cmdline": cmdline.replace("\\0", " ").strip(),
                 "rss_kb": kb(status, "VmRSS"), "pss_kb": kb(rollup, "Pss")})
print(json.dumps(rows))
"""


def container_bytes(container):
    """The container's memory use as `docker stats` reports it."""
    usage = run(
        "docker", "stats", "--no-stream", "--format", "{{.MemUsage}}", container.id
    ).stdout
    return parse_size(usage.split("/")[0])


def roles(processes):
    """Each process named master, worker or other: the master is the gunicorn
    (or runserver) process whose parent is not one; workers are its children."""
    pids = {p["pid"]: p for p in processes}

    def serving(process):
        # By the program itself: docker-init's command line names gunicorn too.
        program, _, arguments = process["cmdline"].partition(" ")
        return program.rsplit("/", 1)[-1].startswith("python") and (
            "gunicorn" in arguments or "manage.py" in arguments
        )

    masters = {
        p["pid"]
        for p in processes
        if serving(p) and not (p["ppid"] in pids and serving(pids[p["ppid"]]))
    }

    def role(process):
        if process["pid"] in masters:
            return "master"
        return "worker" if process["ppid"] in masters else "other"

    return [{**p, "role": role(p)} for p in processes]


def snapshot(container):
    processes = roles(json.loads(container.exec_python(PROCESSES)))
    workers = [p for p in processes if p["role"] == "worker"]
    return {
        "container_mb": container_bytes(container) / 1e6,
        "processes": processes,
        "worker_pss_mb": [p["pss_kb"] / 1e3 for p in workers],
        "worker_rss_mb": [p["rss_kb"] / 1e3 for p in workers],
        "serving_pss_mb": sum(p["pss_kb"] for p in processes if p["role"] != "other")
        / 1e3,
    }
