from django.apps import AppConfig


class HealthConfig(AppConfig):
    name = "stack.health"
    label = "health"
    verbose_name = "Health probes"
