from django.apps import AppConfig


class ElectionsConfig(AppConfig):
    name = "governance.elections"
    label = "elections"
    verbose_name = "Elections"

    def ready(self):
        from governance.elections import checks  # noqa: F401  (registers the deployment checks)
