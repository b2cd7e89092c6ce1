from django.apps import AppConfig


class CommonwealConfig(AppConfig):
    """Accounts and roles: the user model, the role → permission mapping, MFA enforcement."""

    name = "config"
    verbose_name = "Accounts and roles"

    def ready(self):
        from django.db.models.signals import post_migrate

        from config import checks  # noqa: F401  (registers the deployment checks)
        from config.roles import sync_roles_after_migrate

        # Wiring only: permissions of apps added later are granted to the declared roles.
        post_migrate.connect(sync_roles_after_migrate, sender=self)
