"""Social media accounts move from blog to home (the site shell's footer shows them).

The model keeps its rows: it takes over blog's table (state only), the table is renamed, and the
content type moves with it, so editors' permissions on the setting stay as they were.
"""

import django.db.models.deletion
from django.db import migrations, models


def move_content_type(apps, schema_editor, source="blog", target="home"):
    content_types = apps.get_model("contenttypes", "ContentType").objects.using(schema_editor.connection.alias)
    if not content_types.filter(app_label=target, model="socialmediasettings").exists():
        content_types.filter(app_label=source, model="socialmediasettings").update(app_label=target)


def move_content_type_back(apps, schema_editor):
    move_content_type(apps, schema_editor, source="home", target="blog")


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0003_campaign_home_blocks"),
        ("blog", "0003_alter_blogpostpage_body_alter_blogpostpage_body_en_and_more"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailcore", "0097_baselogentry_uuid_action_timestamp_indexes"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="SocialMediaSettings",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("linkedin_url", models.URLField(blank=True, verbose_name="LinkedIn page")),
                        ("twitter_url", models.URLField(blank=True, verbose_name="X (Twitter) account")),
                        ("facebook_url", models.URLField(blank=True, verbose_name="Facebook page")),
                        (
                            "site",
                            models.OneToOneField(
                                editable=False,
                                on_delete=django.db.models.deletion.CASCADE,
                                to="wagtailcore.site",
                            ),
                        ),
                    ],
                    options={"verbose_name": "social media accounts", "db_table": "blog_socialmediasettings"},
                ),
            ],
        ),
        migrations.AlterModelTable(name="socialmediasettings", table=None),
        migrations.RunPython(move_content_type, move_content_type_back),
    ]
