from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "records"
    label = "records"
    verbose_name = "Governance record"

    def ready(self):
        from records import checks  # noqa: F401  (registers the deploy check for the signing key)
        from records.kinds import discover

        discover()
