"""Let Wagtail's Editors and Moderators groups manage search synonyms and promoted results."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUPS = ["Editors", "Moderators"]
PERMISSIONS = [
    ("search", "searchsynonym", ["add", "change", "delete", "view"]),
    ("wagtailsearchpromotions", "searchpromotion", ["add", "change", "delete"]),
]


def grant(apps, schema_editor):
    # Permissions are normally created after migrate; create them now so they can be granted.
    for label in ("search", "wagtailsearchpromotions"):
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name__in=GROUPS):
        for app_label, model, actions in PERMISSIONS:
            group.permissions.add(
                *Permission.objects.filter(
                    content_type__app_label=app_label,
                    codename__in=[f"{action}_{model}" for action in actions],
                )
            )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name__in=GROUPS):
        for app_label, model, actions in PERMISSIONS:
            group.permissions.remove(
                *Permission.objects.filter(
                    content_type__app_label=app_label,
                    codename__in=[f"{action}_{model}" for action in actions],
                )
            )


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0002_postgresql_search_objects"),
        ("wagtailcore", "0002_initial_data"),
        ("wagtailsearchpromotions", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
