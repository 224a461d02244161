from django.contrib.auth.management import create_permissions
from django.db import migrations

from positions.roles import sync_roles


def give_permissions(apps, schema_editor):
    # Permissions are normally created after all migrations; the Beheerder group needs them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    sync_roles(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("staff", "0001_initial"),
        ("axes", "0010_accessattemptexpiration"),
        ("positions", "0005_editorial_roles"),
    ]

    operations = [migrations.RunPython(give_permissions, migrations.RunPython.noop)]
