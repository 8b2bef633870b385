from django.contrib.auth.management import create_permissions
from django.db import migrations


def create_roles(apps, schema_editor):
    from translations.roles import ensure_roles

    # Permissions are normally created after migrate: create them now so the roles can use them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    ensure_roles(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("translations", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("wagtailadmin", "0005_editingsession_is_editing"),
        ("wagtailcore", "0097_baselogentry_uuid_action_timestamp_indexes"),
        ("home", "0001_initial"),
        ("professions", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
