from django.apps import AppConfig


class ClockConfig(AppConfig):
    name = "apps.clock"
    label = "clock"
    verbose_name = "Moscow clock"
