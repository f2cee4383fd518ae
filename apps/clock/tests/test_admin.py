import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/clock/visitcounter/"
PASSWORD = "a-long-passphrase"  # noqa: S105 (a test user's)


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


@pytest.fixture
def csrf_client(django_user_model):
    django_user_model.objects.create_superuser("boss", password=PASSWORD)
    return Client(enforce_csrf_checks=True)


def login(client, **extra):
    token = re.search(
        r'name="csrfmiddlewaretoken" value="([^"]+)"', client.get("/admin/login/").text
    )[1]
    fields = {"username": "boss", "password": PASSWORD}
    return client.post(
        "/admin/login/", {"csrfmiddlewaretoken": token, **fields, **extra}
    )


def test_it_logs_in_through_the_form_with_its_csrf_token(csrf_client):
    assert login(csrf_client).status_code == 302
    assert csrf_client.get("/admin/").status_code == 200


def test_it_refuses_a_login_without_a_csrf_token(csrf_client):
    response = csrf_client.post(
        "/admin/login/", {"username": "boss", "password": PASSWORD}
    )
    assert response.status_code == 403
