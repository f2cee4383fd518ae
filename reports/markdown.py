"""Markdown tables, and DOCKER.md's generated sections."""

import re


def table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def replace_section(text, name, body):
    """text with the lines between name's BEGIN and END markers set to body."""
    pattern = re.compile(
        rf"(<!-- BEGIN GENERATED: {re.escape(name)}\b[^\n]*-->\n)"
        rf".*?(<!-- END GENERATED: {re.escape(name)} -->)",
        flags=re.DOTALL,
    )
    if len(pattern.findall(text)) != 1:
        raise ValueError(f"expected one generated section {name!r}")
    return pattern.sub(
        lambda m: m.group(1) + body.rstrip("\n") + "\n" + m.group(2), text
    )
