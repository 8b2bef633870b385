"""A trigram index on norm_title, for typo matching on large directories (no-op on SQLite)."""

from django.db import migrations

from search.database import is_postgres

INDEX = "search_entry_norm_title_trgm"


def forwards(apps, schema_editor):
    if is_postgres(schema_editor.connection):
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON search_searchentry USING gin (norm_title gin_trgm_ops)"
        )


def backwards(apps, schema_editor):
    if is_postgres(schema_editor.connection):
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("search", "0003_editors_manage_synonyms_and_promotions")]

    operations = [migrations.RunPython(forwards, backwards)]
