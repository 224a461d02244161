from django.contrib.auth.management import create_permissions
from django.db import migrations

# The roles as positions/migrations/0005_editorial_roles.py created them. Granted to the group by
# its name once, here; from then on the permission stays with the group whatever it is called.
GRANTS = {
    "Redacteur": ["view_electionstatistics"],
    "Eindredacteur": ["view_electionstatistics"],
    "Beheerder": ["view_electionstatistics", "view_microdata"],
}


def _permissions(Permission, codenames):
    return Permission.objects.filter(content_type__app_label="stats", codename__in=codenames)


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations; the groups need them now.
    app_config = apps.get_app_config("stats")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name__in=GRANTS):
        group.permissions.add(*_permissions(Permission, GRANTS[group.name]))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name__in=GRANTS):
        group.permissions.remove(*_permissions(Permission, GRANTS[group.name]))


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("positions", "0005_editorial_roles"),
        ("stats", "0002_microdata_permission"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
