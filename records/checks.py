from django.core.checks import Error, register
from django.core.exceptions import ImproperlyConfigured

from records.keys import signing_key


@register(deploy=True)
def record_signing_key_is_set(app_configs, **kwargs):
    """Production must be given the record's signing key; it is never generated there."""
    try:
        signing_key()
    except ImproperlyConfigured as error:
        return [
            Error(
                str(error),
                hint="Generate one with `python manage.py record_keys new --out FILE` (docs/admin.md).",
                id="records.E001",
            )
        ]
    return []
