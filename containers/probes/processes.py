"""Every process of the container but this one, as JSON: pid, ppid, argv,
real and effective uids, and memory (VmRSS, and Pss: shared pages split among
their users), in kB. Memory is None where the kernel will not tell."""

import json
import os
import re


def field(text, key):
    match = re.search(rf"^{key}:\s+(.*)$", text, flags=re.MULTILINE)
    return match.group(1).split() if match else None


rows = []
for pid in filter(str.isdigit, os.listdir("/proc")):
    if int(pid) == os.getpid():
        continue
    try:
        with open(f"/proc/{pid}/status") as file:
            status = file.read()
        with open(f"/proc/{pid}/cmdline", "rb") as file:
            argv = [part.decode(errors="replace") for part in file.read().split(b"\0")]
    except OSError:  # gone since listed
        continue
    try:
        with open(f"/proc/{pid}/smaps_rollup") as file:
            pss = int(field(file.read(), "Pss")[0])
    except OSError:
        pss = None
    rss = field(status, "VmRSS")
    rows.append(
        {
            "pid": int(pid),
            "ppid": int(field(status, "PPid")[0]),
            "argv": [part for part in argv if part],
            "uids": sorted({int(uid) for uid in field(status, "Uid")[:2]}),
            "rss_kb": int(rss[0]) if rss else None,
            "pss_kb": pss,
        }
    )
print(json.dumps(rows))
