"""Social media accounts now live in home (home 0004 took over the table and its rows)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("blog", "0003_alter_blogpostpage_body_alter_blogpostpage_body_en_and_more"),
        ("home", "0004_socialmediasettings"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[migrations.DeleteModel(name="SocialMediaSettings")]),
    ]
