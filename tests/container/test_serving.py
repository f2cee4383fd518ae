"""What a visitor gets from each image: pages, API, probes, static files."""

import re
from datetime import UTC, datetime, timedelta

from containers import RESULTS
from tests.browser import chromium, open_page, requires_chromium

TIME = re.compile(
    r'<time class="clock" id="clock" datetime="([^"]+)"[^>]*>(\d\d:\d\d:\d\d)<'
)
STYLESHEET = re.compile(r'<link rel="stylesheet"[^>]* href="(/static/[^"]+\.css)"')


def test_it_is_healthy_by_its_own_healthcheck(stack):
    assert stack.container().state()["Health"]["Status"] == "healthy"


def test_it_shows_the_moscow_time_on_the_page(stack):
    response = stack.get("/")
    assert response.status == 200
    shown = datetime.fromisoformat(TIME.search(response.text).group(1))
    assert shown.utcoffset() == timedelta(hours=3)
    assert abs(shown - datetime.now(UTC)) < timedelta(seconds=10)
    assert "Europe/Moscow" in response.text


def test_it_serves_the_api_and_the_probes(stack):
    api = stack.get("/api/time")
    assert api.status == 200
    assert api.json()["timezone"] == "Europe/Moscow"
    assert api.json()["utc_offset"] == "+03:00"
    assert stack.get("/healthz").status == 200
    assert stack.get("/readyz").json() == {"status": "ok"}


def test_it_serves_hashed_static_files_compressed_and_cached_for_long(stack):
    css = STYLESHEET.search(stack.get("/").text).group(1)
    assert re.search(r"\.[0-9a-f]{12}\.css$", css)
    response = stack.get(css, headers={"Accept-Encoding": "gzip"})
    assert response.status == 200
    assert response.headers["content-encoding"] == "gzip"
    max_age = int(re.search(r"max-age=(\d+)", response.headers["cache-control"])[1])
    assert max_age >= 365 * 24 * 3600


def test_it_renders_the_admin_login_page_with_its_css(stack):
    page = stack.get("/admin/login/")
    assert page.status == 200
    stylesheets = STYLESHEET.findall(page.text)
    assert any("/admin/css/" in href for href in stylesheets)
    for href in stylesheets:
        response = stack.get(href)
        assert response.status == 200
        assert response.headers["content-type"].startswith("text/css")


def test_it_answers_unknown_paths_and_methods_plainly(stack):
    missing = stack.get("/no-such-page")
    assert missing.status == 404
    assert "Traceback" not in missing.text
    assert stack.get("/", method="POST").status == 405


@requires_chromium
def test_it_shows_the_ticking_time_in_a_real_browser(stack):
    screenshot = RESULTS / f"container-{stack.variant}.png"
    screenshot.parent.mkdir(exist_ok=True)
    with chromium() as browser, open_page(browser, stack.url + "/") as visit:
        assert visit.status == 200
        assert re.fullmatch(r"\d\d:\d\d:\d\d", visit.text("#clock"))
        assert visit.console_errors == []
        assert visit.page_errors == []
        visit.screenshot(screenshot)
    assert screenshot.stat().st_size > 0
