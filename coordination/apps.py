from django.apps import AppConfig


class CoordinationConfig(AppConfig):
    name = "coordination"
    default = True

    def ready(self):
        from coordination import checks  # noqa: F401  (registers system checks)
