from django.apps import AppConfig


class BackupsConfig(AppConfig):
    name = "stack.backups"
    label = "backups"
    verbose_name = "Backups of the SQLite database"
