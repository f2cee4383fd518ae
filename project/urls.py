"""URL wiring. /healthz and /readyz are answered earlier, by
apps.health.middleware, so that they bypass the Host header check."""

from django.contrib import admin
from django.urls import include, path

# project.admin_middleware gives these URLs alone sessions, users and messages.
ADMIN_PREFIX = "admin/"

urlpatterns = [
    path("", include("apps.clock.urls")),
    path(ADMIN_PREFIX, admin.site.urls),
]
