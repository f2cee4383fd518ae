import re

import pytest

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/clock/visitcounter/"


def test_it_shows_the_login_page(client):
    response = client.get("/admin/login/")
    assert response.status_code == 200
    assert 'name="password"' in response.text


def test_it_links_the_hashed_admin_stylesheet(client):
    response = client.get("/admin/login/")
    assert re.search(r'href="/static/admin/css/base\.[0-9a-f]{12}\.css"', response.text)


def test_it_sends_anonymous_visitors_to_the_login_page(client):
    response = client.get(CHANGELIST)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_it_lists_the_visit_counter_on_the_admin_index(admin_client):
    response = admin_client.get("/admin/")
    assert response.status_code == 200
    assert f'href="{CHANGELIST}"' in response.text


def test_it_shows_the_current_count_in_the_changelist(admin_client):
    admin_client.get("/")
    admin_client.get("/")
    response = admin_client.get(CHANGELIST)
    assert response.status_code == 200
    assert "2 visits" in response.text


@pytest.mark.parametrize(
    "path", [f"{CHANGELIST}add/", f"{CHANGELIST}1/delete/"], ids=["add", "delete"]
)
def test_it_forbids_adding_or_deleting_counters(admin_client, path):
    assert admin_client.get(path).status_code == 403


def test_it_shows_the_counter_read_only(admin_client):
    response = admin_client.get(f"{CHANGELIST}1/change/")
    assert response.status_code == 200
    assert 'name="count"' not in response.text
