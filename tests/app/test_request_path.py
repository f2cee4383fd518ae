"""Django's standard middleware runs for every request, so what a team adds
next (a view that reads request.user, Django's LoginRequiredMiddleware) works
without touching the settings beyond its own line."""

import pytest
from django.contrib.auth.models import User
from django.http import HttpResponse
from django.urls import include, path

pytestmark = pytest.mark.django_db


def whoami(request):
    return HttpResponse(request.user.get_username() or "anonymous")


# A URLconf with one view of the kind a team adds, beside the project's own.
urlpatterns = [
    path("whoami", whoami),
    path("", include("project.urls")),
]


@pytest.mark.urls(__name__)
def test_a_view_reads_the_anonymous_user(client):
    assert client.get("/whoami").text == "anonymous"


@pytest.mark.urls(__name__)
def test_a_view_reads_the_logged_in_user(client):
    client.force_login(User.objects.create_user("ada"))
    assert client.get("/whoami").text == "ada"


def test_login_required_middleware_guards_the_page_once_added(client, settings):
    settings.MIDDLEWARE = [
        *settings.MIDDLEWARE,
        "django.contrib.auth.middleware.LoginRequiredMiddleware",
    ]
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(settings.LOGIN_URL)


def test_no_system_check_is_silenced(settings):
    assert settings.SILENCED_SYSTEM_CHECKS == []
