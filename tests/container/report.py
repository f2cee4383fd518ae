"""The reliability report: what the container suite sent, broke and saw.

The tests record their figures through the `reliability` fixture; at the end
of the session they are merged into reports/reliability.json (a partial run
updates only what it ran) and DOCKER.md's generated section is rewritten from
that file. `python -m tests.container.report` rewrites the section alone.
"""

import json
import re
import sys
from datetime import UTC, datetime

from tests.container.stack import ROOT

REPORTS = ROOT / "reports"
REPORT = REPORTS / "reliability.json"
DOCKER_MD = ROOT / "DOCKER.md"
SECTION = re.compile(
    r"(<!-- BEGIN GENERATED: reliability[^>]*-->\n).*?"
    r"(<!-- END GENERATED: reliability -->)",
    flags=re.DOTALL,
)


class Recorder:
    """Figures by variant, then by topic (load, faults, hostile input...)."""

    def __init__(self):
        self.recorded = {}

    def record(self, variant, topic, name, figures):
        self.recorded.setdefault(variant, {}).setdefault(topic, {})[name] = figures

    def save(self, path=REPORT):
        report = json.loads(path.read_text()) if path.exists() else {}
        variants = report.setdefault("variants", {})
        for variant, topics in self.recorded.items():
            for topic, entries in topics.items():
                variants.setdefault(variant, {}).setdefault(topic, {}).update(entries)
        report["generated"] = datetime.now(UTC).isoformat(timespec="seconds")
        report["totals"] = {name: totals(v) for name, v in sorted(variants.items())}
        path.parent.mkdir(exist_ok=True)
        path.write_text(json.dumps(report, indent=2, sort_keys=True) + "\n")
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
        "hostile_answered_as_expected": sum(
            bool(row["as_expected"]) for row in hostile
        ),
        "data_lost": sum(run.get("data_lost", 0) for run in runs),
    }


def markdown(report):
    variants = sorted(report.get("variants", {}))
    lines = [
        f"Last run: {report.get('generated', 'never')}. "
        "Figures from `reports/reliability.json`.",
        "",
        "| | " + " | ".join(variants) + " |",
        "|---|" + "---|" * len(variants),
    ]
    labels = {
        "requests": "Requests sent",
        "server_errors": "5xx answers",
        "connection_failures": "Connections dropped (faults, stops)",
        "faults_injected": "Faults injected",
        "faults_survived": "Faults survived",
        "hostile_inputs": "Hostile inputs tried",
        "hostile_answered_as_expected": "Answered as expected",
        "data_lost": "Visits lost",
    }
    for key, label in labels.items():
        cells = [str(report["totals"][v].get(key, "")) for v in variants]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    faults = sorted(
        {f for v in variants for f in report["variants"][v].get("faults", {})}
    )
    if faults:
        lines += ["", "| Fault | " + " | ".join(variants) + " |"]
        lines.append("|---|" + "---|" * len(variants))
        for fault in faults:
            cells = [
                report["variants"][v]
                .get("faults", {})
                .get(fault, {})
                .get("outcome", "")
                for v in variants
            ]
            lines.append(f"| {fault} | " + " | ".join(cells) + " |")
    rows = sorted(
        {r for v in variants for r in report["variants"][v].get("hostile", {})}
    )
    if rows:
        lines += ["", "| Hostile input | Expected | " + " | ".join(variants) + " |"]
        lines.append("|---|---|" + "---|" * len(variants))
        for row in rows:
            entries = [
                report["variants"][v].get("hostile", {}).get(row) for v in variants
            ]
            expected = next(e["expected"] for e in entries if e)
            cells = [e["answered"] if e else "" for e in entries]
            lines.append(f"| {row} | {expected} | " + " | ".join(cells) + " |")
    return "\n".join(line.replace("\n", " ") for line in lines) + "\n"


def write_docker_md(report):
    text = DOCKER_MD.read_text()
    new, found = SECTION.subn(
        lambda m: m.group(1) + markdown(report) + m.group(2), text, count=1
    )
    if not found:
        raise SystemExit("DOCKER.md has no generated reliability section")
    DOCKER_MD.write_text(new)


if __name__ == "__main__":
    if not REPORT.exists():
        sys.exit(f"No {REPORT.relative_to(ROOT)}: run `make containers` first.")
    write_docker_md(json.loads(REPORT.read_text()))
