"""The shell blocks the docs print (```sh in DOCKER.md and docs/), found by
their first line, each with the reason the page gives for no test running
it, if it gives one."""

import re
from dataclasses import dataclass

from containers import ROOT

PAGES = [ROOT / "DOCKER.md", *sorted((ROOT / "docs").glob("**/*.md"))]
# The line a page puts before a block no test can run on one machine offline.
NOT_RUN = re.compile(r"_Not run by the tests: (?P<why>.+)\._")
BLOCK = re.compile(
    r"(?:^(?P<mark>[^\n]*)\n\n)?^```sh\n(?P<text>.*?)^```$", re.MULTILINE | re.DOTALL
)


@dataclass(frozen=True)
class Block:
    page: str
    text: str
    not_run: str | None

    @property
    def first_line(self):
        return self.text.splitlines()[0]


def blocks():
    found = []
    for page in PAGES:
        for match in BLOCK.finditer(page.read_text()):
            mark = NOT_RUN.fullmatch(match["mark"] or "")
            found.append(
                Block(
                    str(page.relative_to(ROOT)),
                    match["text"],
                    mark["why"] if mark else None,
                )
            )
    return found


def block(first_line):
    """The one block that starts with `first_line`, as printed."""
    (found,) = [b for b in blocks() if b.first_line == first_line]
    return found.text
