from django.apps import AppConfig


class BodiesConfig(AppConfig):
    name = "governance.bodies"
    label = "bodies"
    verbose_name = "Bodies and office holders"
