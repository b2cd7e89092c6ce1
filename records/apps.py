from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "governance.records"
    label = "records"
    verbose_name = "Governance record"
