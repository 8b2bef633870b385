"""The vocabulary of the names (SearchWord) that typo matching corrects against, with its trigram index
on PostgreSQL (search.database), filled from the existing entries; the trigram index on every entry's
names, which typo matching read before, is dropped; the title's index now includes the kind and id
(title prefixes are chosen from the index alone)."""

from django.db import migrations, models

from search.database import LANGUAGES, ensure_search_database_objects, is_postgres
from search.indexing import rebuild_words


def forwards(apps, schema_editor):
    if is_postgres(schema_editor.connection):
        for language in LANGUAGES:
            schema_editor.execute(f"DROP INDEX IF EXISTS search_entry_normalized_trgm_{language}")
            schema_editor.execute(f"DROP INDEX IF EXISTS search_entry_norm_title_{language}")
    ensure_search_database_objects(schema_editor.connection)
    rebuild_words(apps.get_model("search", "SearchEntry"), apps.get_model("search", "SearchWord"))


class Migration(migrations.Migration):
    dependencies = [("search", "0006_unanswered_questions_results")]

    operations = [
        migrations.CreateModel(
            name="SearchWord",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("language", models.CharField(max_length=2)),
                ("word", models.TextField()),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(fields=("language", "word"), name="search_word_language_word")
                ],
            },
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
