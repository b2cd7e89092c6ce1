from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "governance.meetings"
    label = "meetings"
    verbose_name = "Meetings and papers"
