"""Static files as whitenoise serves them: the test client calls the WSGI
application, so whitenoise's middleware answers exactly as in production."""

import re

import pytest

pytestmark = pytest.mark.django_db

ONE_YEAR = 365 * 24 * 60 * 60


@pytest.fixture
def linked(client):
    """The static URLs the page links, by file name: {"clock.css": "/static/..."}."""
    html = client.get("/").text
    urls = re.findall(r'(?:href|src)="(/static/clock/[^"]+)"', html)
    return {
        re.sub(r"\.[0-9a-f]{12}\.", ".", url.rsplit("/", 1)[1]): url for url in urls
    }


@pytest.mark.parametrize("name", ["clock.css", "clock.js", "favicon.svg"])
def test_it_serves_the_linked_files(client, linked, name):
    assert client.get(linked[name]).status_code == 200


@pytest.mark.parametrize(
    ("name", "content_type"),
    [
        ("clock.css", "text/css"),
        ("clock.js", "text/javascript"),
        ("favicon.svg", "image/svg+xml"),
    ],
)
def test_it_labels_each_file_with_its_type(client, linked, name, content_type):
    assert client.get(linked[name])["Content-Type"].startswith(content_type)


def test_it_serves_the_stylesheet_as_written(client, linked):
    response = client.get(linked["clock.css"])
    assert b"font-variant-numeric: tabular-nums" in b"".join(response.streaming_content)


def test_it_lets_hashed_files_be_cached_for_at_least_a_year(client, linked):
    cache_control = client.get(linked["clock.css"])["Cache-Control"]
    max_age = int(re.search(r"max-age=(\d+)", cache_control)[1])
    assert max_age >= ONE_YEAR


def test_it_marks_hashed_files_immutable(client, linked):
    assert "immutable" in client.get(linked["clock.css"])["Cache-Control"]


@pytest.mark.parametrize("name", ["clock.css", "clock.js"])
def test_it_serves_gzip_to_clients_that_accept_it(client, linked, name):
    response = client.get(linked[name], headers={"accept-encoding": "gzip"})
    assert response["Content-Encoding"] == "gzip"


def test_it_serves_uncompressed_to_clients_that_do_not_ask(client, linked):
    assert "Content-Encoding" not in client.get(linked["clock.css"])


@pytest.mark.parametrize("path", ["/static/clock/clock.css", "/static/clock/clock.js"])
def test_it_does_not_serve_unhashed_names(client, path):
    assert client.get(path).status_code == 404


def test_it_links_the_hashed_name_the_manifest_gives(client, linked):
    assert re.search(r"^/static/clock/clock\.[0-9a-f]{12}\.css$", linked["clock.css"])


def test_it_gives_each_url_as_the_manifest_gives_it_and_keeps_it(collected_static):
    from django.contrib.staticfiles.storage import staticfiles_storage
    from whitenoise.storage import CompressedManifestStaticFilesStorage

    manifest = CompressedManifestStaticFilesStorage(location=collected_static)
    first = staticfiles_storage.url("clock/clock.css")
    assert first == manifest.url("clock/clock.css")
    assert staticfiles_storage.url("clock/clock.css") is first


def test_it_refuses_to_link_a_file_it_does_not_have():
    from django.contrib.staticfiles.storage import staticfiles_storage

    with pytest.raises(ValueError, match=r"no-such-file\.css"):
        staticfiles_storage.url("clock/no-such-file.css")
