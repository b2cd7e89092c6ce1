from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "records"
    label = "records"
    verbose_name = "Governance record"
