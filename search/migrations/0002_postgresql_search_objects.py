"""PostgreSQL full-text and trigram objects for the search index (no-op on SQLite)."""

from django.db import migrations

from search.database import drop_search_database_objects, ensure_search_database_objects


def forwards(apps, schema_editor):
    ensure_search_database_objects(schema_editor.connection)


def backwards(apps, schema_editor):
    drop_search_database_objects(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
