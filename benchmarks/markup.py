"""The same page: ours and the references' compared before any load, so that
the figures set like against like."""

import difflib
import re

# What may differ between two servers' pages: the static files' content
# hashes (ours has them, the references do not), the instant, the visit count.
VARYING = (
    (re.compile(r"\.[0-9a-f]{12}(\.\w+\")"), r"\1"),
    (re.compile(r'datetime="[^"]*"'), 'datetime=""'),
    (re.compile(r">\d\d:\d\d:\d\d<"), "><"),
    (re.compile(r'(id="visits">)\d+'), r"\1"),
)


class PagesDiffer(AssertionError):
    """Two servers' pages are not the same markup."""


def normalised(page):
    """The page with what may vary blanked out."""
    for pattern, replacement in VARYING:
        page = pattern.sub(replacement, page)
    return page


def check(pages):
    """pages: {server: its page at /}. Raises PagesDiffer, with the difference,
    where a page is not the first one's markup."""
    (first, expected), *others = ((name, normalised(p)) for name, p in pages.items())
    for name, page in others:
        if page != expected:
            diff = difflib.unified_diff(
                expected.splitlines(keepends=True),
                page.splitlines(keepends=True),
                fromfile=first,
                tofile=name,
            )
            raise PagesDiffer(f"{name}'s page is not {first}'s:\n{''.join(diff)}")
