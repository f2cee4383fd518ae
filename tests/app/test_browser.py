"""The pages as a browser shows them, served by gunicorn with the images' config.

A console error is also how Chromium reports a Content-Security-Policy
violation, so an empty console proves no inline script or style was needed.
"""

import json
import re
import shutil
import struct
from datetime import datetime

import pytest

from apps.clock.moscow import moscow_time
from containers import RESULTS
from tests import browser, serving

pytestmark = [pytest.mark.browser, browser.requires_chromium]

VIEWPORTS = {"phone": browser.PHONE, "desktop": browser.DESKTOP}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with serving.gunicorn(tmp_path_factory.mktemp("data")) as server:
        yield server


@pytest.fixture(scope="module")
def chromium():
    with browser.chromium() as chromium:
        yield chromium


@pytest.fixture(scope="module", params=VIEWPORTS, ids=str)
def clock(request, chromium, server):
    """(viewport name, the page, the count /api/time gave once it loaded)."""
    url, viewport = f"{server.url}/", VIEWPORTS[request.param]
    with browser.open_page(chromium, url, viewport) as visit:
        visits = json.loads(serving.get(f"{server.url}/api/time")[1])["visits"]
        yield request.param, visit, visits


@pytest.fixture(scope="module")
def admin_login(chromium, server):
    with browser.open_page(chromium, f"{server.url}/admin/login/") as visit:
        yield visit


def seconds_of_day(moment):
    return moment.hour * 3600 + moment.minute * 60 + moment.second


def png_width(path):
    # The IHDR chunk comes first: width is the big-endian int at byte 16.
    return struct.unpack(">I", path.read_bytes()[16:20])[0]


def test_it_shows_the_time_as_hours_minutes_and_seconds(clock):
    _, visit, _ = clock
    assert re.fullmatch(r"\d\d:\d\d:\d\d", visit.text("#clock"))


def test_it_shows_the_current_moscow_time(clock):
    _, visit, _ = clock
    shown = datetime.strptime(visit.text("#clock"), "%H:%M:%S")
    now = moscow_time()
    apart = abs(seconds_of_day(shown) - seconds_of_day(now))
    # Around midnight the two can sit on either side of 00:00:00.
    assert min(apart, 86_400 - apart) <= 5


def test_it_ticks_the_clock(clock):
    _, visit, _ = clock
    before = visit.text("#clock")
    visit.page.wait_for_function(
        "before => document.getElementById('clock').textContent !== before",
        arg=before,
        timeout=3_000,
    )
    assert visit.text("#clock") != before


def test_it_titles_the_page(clock):
    _, visit, _ = clock
    assert visit.page.title() == "Moscow time"


def test_it_shows_the_visit_count_the_server_recorded(clock):
    _, visit, visits = clock
    assert visit.text("#visits") == str(visits)


def test_it_sends_a_policy_that_forbids_inline_scripts_and_styles(clock):
    _, visit, _ = clock
    policy = visit.headers["content-security-policy"]
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "unsafe-inline" not in policy


def test_it_logs_no_console_errors(clock):
    _, visit, _ = clock
    assert visit.console_errors == []


def test_it_raises_no_page_errors(clock):
    _, visit, _ = clock
    assert visit.page_errors == []


def test_it_fits_the_viewport_width_without_scrolling(clock):
    _, visit, _ = clock
    overflow = visit.page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0


def test_it_saves_a_screenshot_at_the_viewport_width(clock, tmp_path):
    name, visit, _ = clock
    shot = visit.screenshot(tmp_path / f"clock-{name}.png")
    RESULTS.mkdir(exist_ok=True)
    shutil.copy(shot, RESULTS / shot.name)
    assert png_width(shot) == VIEWPORTS[name]["width"]


def test_it_logs_no_console_errors_on_the_admin_login(admin_login):
    assert admin_login.console_errors == []


def test_it_raises_no_page_errors_on_the_admin_login(admin_login):
    assert admin_login.page_errors == []


def test_it_loads_every_admin_stylesheet(admin_login):
    sheets = [
        (url, status)
        for kind, url, status in admin_login.responses
        if kind == "stylesheet"
    ]
    assert sheets
    assert [url for url, status in sheets if status != 200] == []


def test_it_applies_the_admin_stylesheet(admin_login):
    background = admin_login.page.evaluate(
        "getComputedStyle(document.getElementById('header')).backgroundColor"
    )
    # Unstyled, a header is transparent.
    assert background not in ("rgba(0, 0, 0, 0)", "transparent")
