"""DOCKER.md's `reliability` section: what the container suite sent, broke and saw."""

from reports.markdown import table

LABELS = {
    "requests": "Requests sent",
    "server_errors": "5xx answers",
    "connection_failures": "Connections dropped (faults, stops)",
    "faults_injected": "Faults injected",
    "faults_survived": "Faults survived",
    "hostile_inputs": "Hostile inputs tried",
    "hostile_answered_as_expected": "Answered as expected",
    "data_lost": "Visits lost",
}
# What a swarm figure adds to "n of m answered 200", in this order.
SWARM_DETAILS = {
    "update": "update {}",
    "update_seconds": "in {} s",
    "replaced_within_seconds": "replaced within {} s",
    "outage_seconds": "database away {} s",
    "slow_connections": "beside {} slow connections",
    "attack_seconds": "for {} s",
    "p99_ms": "p99 {} ms",
    "closed_by_server": "{} closed by nginx",
}


def merge(report, run):
    """The report with a container run's figures in: a partial run (one
    variant, one file) replaces only what it ran."""
    variants = report.setdefault("variants", {})
    for variant, topics in run["variants"].items():
        for topic, entries in topics.items():
            variants.setdefault(variant, {}).setdefault(topic, {}).update(entries)
    report["generated"] = run["generated"]
    report["totals"] = {name: totals(v) for name, v in sorted(variants.items())}
    return report


def totals(variant):
    """The headline figures of one variant's record."""
    runs = [*variant.get("load", {}).values(), *variant.get("faults", {}).values()]
    hostile = variant.get("hostile", {}).values()
    faults = variant.get("faults", {}).values()
    return {
        "requests": sum(run.get("requests", 0) for run in runs),
        "server_errors": sum(run.get("server_errors", 0) for run in runs),
        "connection_failures": sum(run.get("connection_failures", 0) for run in runs),
        "faults_injected": len(faults),
        "faults_survived": sum(bool(fault["survived"]) for fault in faults),
        "hostile_inputs": len(hostile),
        "hostile_answered_as_expected": sum(bool(r["as_expected"]) for r in hostile),
        "data_lost": sum(run.get("data_lost", 0) for run in runs),
    }


def rows_of(report, topic):
    """(row name, [entry or None per variant]) for every row any variant has."""
    records = [report["variants"][v].get(topic, {}) for v in sorted(report["variants"])]
    names = sorted({name for record in records for name in record})
    return [(name, [record.get(name) for record in records]) for name in names]


def swarm_outcome(entry):
    """One swarm figure in a few words: what was answered, and what happened."""
    words = [f"{entry['ok']} of {entry['requests']} answered 200"]
    words += [
        phrase.format(entry[key])
        for key, phrase in SWARM_DETAILS.items()
        if key in entry
    ]
    return ", ".join(words)


def section(report):
    variants = sorted(report["variants"])
    sums = [totals(report["variants"][v]) for v in variants]
    parts = [
        f"Last run: {report['generated']}. Figures from `reports/reliability.json`.",
        table(
            ["", *variants],
            [[label, *(s[key] for s in sums)] for key, label in LABELS.items()],
        ),
    ]
    faults = rows_of(report, "faults")
    if faults:
        rows = [[n, *(e["outcome"] if e else "" for e in es)] for n, es in faults]
        parts.append(table(["Fault", *variants], rows))
    hostile = rows_of(report, "hostile")
    if hostile:
        rows = [
            [
                n,
                next(e for e in es if e)["expected"],
                *(e["answered"] if e else "" for e in es),
            ]
            for n, es in hostile
        ]
        parts.append(table(["Hostile input", "Expected", *variants], rows))
    # The swarm suite runs one image: a column for each that ran it.
    swarm = {
        v: report["variants"][v]["swarm"]
        for v in variants
        if "swarm" in report["variants"][v]
    }
    if swarm:
        names = sorted({name for figures in swarm.values() for name in figures})
        rows = [
            [n, *(swarm_outcome(f[n]) if n in f else "" for f in swarm.values())]
            for n in names
        ]
        parts.append(table(["Swarm stack, replicas behind nginx", *swarm], rows))
    return "\n\n".join(parts).replace("\n\n\n", "\n\n")
