from django.apps import AppConfig


class StaffConfig(AppConfig):
    name = "staff"
    verbose_name = "Redactieaccounts"

    def ready(self):
        from . import sessions

        sessions.connect()
