from django.contrib.auth.management import create_permissions
from django.db import migrations

from positions.roles import sync_roles


def update_roles(apps, schema_editor):
    # Permissions are normally created after all migrations; the groups need the new ones now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    sync_roles(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("parties", "0001_initial"),
        # Every app whose permissions the roles hold, so that none is missing when they are set.
        ("positions", "0014_party_round"),
        ("staff", "0002_beheerder_permissions"),
        ("stats", "0006_stats3_day_microdata"),
        ("axes", "0010_accessattemptexpiration"),
    ]

    operations = [migrations.RunPython(update_roles, migrations.RunPython.noop)]
