from django.urls import path

from apps.clock import views

app_name = "clock"
urlpatterns = [
    path("", views.index, name="index"),
    path("api/time", views.api_time, name="api-time"),
]
