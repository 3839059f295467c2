"""The HR admin and manager roles, as groups holding the product's permissions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLE_PERMISSIONS = {
    "HR admins": ["manage_cohorts", "view_team_dashboard"],
    "Managers": ["view_team_dashboard"],
}


def create_roles(apps, schema_editor) -> None:
    # Permissions are normally created after all migrations have run; make
    # them now so the groups can hold them.
    app_config = apps.get_app_config("assessments")
    app_config.models_module = True  # what create_permissions checks for
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(
            Permission.objects.filter(content_type__app_label="assessments", codename__in=codenames)
        )


def remove_roles(apps, schema_editor) -> None:
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0003_cohorts"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
