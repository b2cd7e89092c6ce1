from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "payments"
    verbose_name = "Payments and shares"

    def ready(self):
        from payments import signals  # noqa: F401  (connects the receivers)
