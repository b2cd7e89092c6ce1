from django.apps import AppConfig


class MotionsConfig(AppConfig):
    name = "governance.motions"
    label = "motions"
    verbose_name = "Member motions and resolutions"
