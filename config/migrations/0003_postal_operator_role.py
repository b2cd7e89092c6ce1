"""The Postal operator role (config.roles.ROLES): its group, made as 0002 made the others."""

from django.db import migrations


def create_groups(apps, schema_editor):
    from config.roles import ROLES

    Group = apps.get_model("auth", "Group")
    for name in ROLES:
        Group.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [("config", "0002_roles")]
    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
