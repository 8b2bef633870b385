from django.db import migrations


def create_moderators_group(apps, schema_editor):
    from blog.permissions import ensure_moderators_group

    ensure_moderators_group(apps)


def remove_moderators_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Moderators").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("blog", "0001_initial"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_moderators_group, remove_moderators_group)]
