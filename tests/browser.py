"""A page opened in headless Chromium (the distribution's, driven by Playwright).

Needs only a URL, so it serves the gunicorn tests and the container tests
alike. Chromium's console is recorded because that is where it reports a
Content-Security-Policy violation.
"""

import shutil
from contextlib import contextmanager
from dataclasses import dataclass, field

import pytest
from playwright.sync_api import sync_playwright

CHROMIUM = shutil.which("chromium")
# The machine has no outside network: nothing may try to reach Google.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",  # The tests run as root, where the sandbox cannot start.
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}

requires_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="no chromium on PATH (Debian: apt-get install chromium)"
)


@dataclass
class Visit:
    """The open page, what answered it, and what the browser complained of."""

    page: object
    status: int
    headers: dict
    console: list = field(default_factory=list)  # (type, text) pairs
    page_errors: list = field(default_factory=list)
    responses: list = field(default_factory=list)  # (resource type, url, status)

    @property
    def console_errors(self):
        return [text for kind, text in self.console if kind == "error"]

    def text(self, selector):
        return self.page.locator(selector).inner_text()

    def screenshot(self, path):
        self.page.screenshot(path=path, full_page=True)
        return path


@contextmanager
def chromium(timeout_ms=15_000, extra_args=()):
    """A headless Chromium; one Playwright per thread, so one browser at a time."""
    if CHROMIUM is None:
        raise RuntimeError("no chromium on PATH")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[*CHROMIUM_ARGS, *extra_args],
            timeout=timeout_ms,
        )
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def open_page(browser, url, viewport=DESKTOP, timeout_ms=15_000):
    """`url` loaded (scripts run, load event fired) in a fresh browser context."""
    context = browser.new_context(viewport=viewport)
    try:
        page = context.new_page()
        page.set_default_timeout(timeout_ms)
        console, page_errors, responses = [], [], []
        page.on("console", lambda m: console.append((m.type, m.text)))
        page.on("pageerror", lambda error: page_errors.append(str(error)))
        page.on(
            "response",
            lambda r: responses.append((r.request.resource_type, r.url, r.status)),
        )
        response = page.goto(url, wait_until="load")
        yield Visit(
            page, response.status, response.headers, console, page_errors, responses
        )
    finally:
        context.close()
