"""URL wiring. /healthz and /readyz are answered earlier, by
stack.health.middleware, so that they bypass the Host header check."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("apps.clock.urls")),
    path("admin/", admin.site.urls),
]
