import re
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest

MOSCOW = ZoneInfo("Europe/Moscow")
HASHED = r"[0-9a-f]{12}"


class Page(HTMLParser):
    """The tags, attributes and inline script/style text of an HTML page."""

    def __init__(self, html):
        super().__init__()
        self.tags = []
        self.inline = []
        self._open = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._open = tag

    def handle_endtag(self, tag):
        self._open = None

    def handle_data(self, data):
        if self._open in {"script", "style"} and data.strip():
            self.inline.append(data)

    def attrs(self, tag):
        return [attrs for name, attrs in self.tags if name == tag]


def seconds_between(before, after):
    """Every whole second from `before` to `after`, as Moscow wall times."""
    moment = before.replace(microsecond=0)
    while moment <= after:
        yield moment.astimezone(MOSCOW)
        moment += timedelta(seconds=1)


@pytest.fixture
def timed_page(client):
    before = datetime.now(UTC)
    response = client.get("/")
    after = datetime.now(UTC)
    return response, list(seconds_between(before, after))


@pytest.mark.django_db
def test_it_serves_the_page_as_html(client):
    response = client.get("/")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"


@pytest.mark.django_db
def test_it_shows_the_current_moscow_time(timed_page):
    response, seconds = timed_page
    shown = re.search(r'id="clock"[^>]*>(\d\d:\d\d:\d\d)</time>', response.text)
    assert shown[1] in {moment.strftime("%H:%M:%S") for moment in seconds}


@pytest.mark.django_db
def test_it_gives_the_moscow_instant_machine_readably(timed_page):
    response, seconds = timed_page
    shown = datetime.fromisoformat(re.search(r'datetime="([^"]+)"', response.text)[1])
    assert shown.utcoffset() == timedelta(hours=3)
    assert seconds[0] <= shown < seconds[-1] + timedelta(seconds=1)


@pytest.mark.django_db
def test_it_shows_the_moscow_date(timed_page):
    response, seconds = timed_page
    dates = {f"{m:%A}, {m.day} {m:%B %Y}" for m in seconds}
    shown = re.search(r'id="date">([^<]+)</p>', response.text)
    assert shown[1] in dates


@pytest.mark.django_db
def test_it_names_the_time_zone_and_its_offset(client):
    response = client.get("/")
    assert "Europe/Moscow (UTC+03:00)" in response.text


@pytest.mark.django_db
def test_it_shows_the_visit_count(client):
    response = client.get("/")
    assert 'Visits: <strong id="visits">1</strong>' in response.text


@pytest.mark.django_db
def test_it_answers_head(client):
    assert client.head("/").status_code == 200


@pytest.mark.parametrize("path", ["/", "/api/time"])
@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_it_refuses_unsafe_methods_with_405(client, path, method):
    # No django_db mark: a refused request must not reach the database.
    response = getattr(client, method)(path)
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"


def test_it_answers_an_unknown_path_with_the_plain_404_page(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "<h1>404</h1>" in response.text
    assert "Not found" in response.text


@pytest.mark.parametrize("leak", ["Traceback", "DEBUG", "URLconf", "no-such-page"])
def test_it_reveals_nothing_on_the_404_page(client, leak):
    response = client.get("/no-such-page")
    assert leak not in response.text


@pytest.mark.django_db
def test_it_links_the_hashed_script(client):
    page = Page(client.get("/").text)
    sources = [attrs.get("src") for attrs in page.attrs("script")]
    assert len(sources) == 1
    assert re.fullmatch(rf"/static/clock/clock\.{HASHED}\.js", sources[0])


@pytest.mark.django_db
def test_it_links_the_hashed_stylesheet(client):
    page = Page(client.get("/").text)
    sheets = [a["href"] for a in page.attrs("link") if a.get("rel") == "stylesheet"]
    assert len(sheets) == 1
    assert re.fullmatch(rf"/static/clock/clock\.{HASHED}\.css", sheets[0])


@pytest.mark.django_db
def test_it_has_no_inline_script_or_style_element(client):
    page = Page(client.get("/").text)
    assert page.inline == []
    assert page.attrs("style") == []


@pytest.mark.django_db
def test_it_has_no_style_or_event_handler_attributes(client):
    page = Page(client.get("/").text)
    inline = [
        a for _, attrs in page.tags for a in attrs if a == "style" or a[:2] == "on"
    ]
    assert inline == []


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/api/time"])
def test_it_forbids_caching(client, path):
    response = client.get(path)
    assert "no-store" in response["Cache-Control"]
