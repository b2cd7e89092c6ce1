"""Create the role groups declared in config.roles.ROLES. Their permissions are applied after
every migrate (config.apps), once every app's permissions exist."""

from django.db import migrations


def create_groups(apps, schema_editor):
    from config.roles import ROLES

    Group = apps.get_model("auth", "Group")
    for name in ROLES:
        Group.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [("config", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]
    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
