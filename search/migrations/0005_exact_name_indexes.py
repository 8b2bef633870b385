"""Names indexed exactly, and one index per language, for faster matching and ranking (no-op on SQLite).

Adds the generated columns names_document, name_words and term_list, replaces the indexes on both
languages by one per language (see search.database, with a btree on norm_title for title prefixes),
and drops the trigram indexes on terms (term_list and name_words replace it) and norm_title.
"""

from django.db import migrations

from search.database import INDEXES, LANGUAGES, LEGACY_INDEXES, ensure_search_database_objects, is_postgres

NEW_COLUMNS = ["names_document", "name_words", "term_list"]


def forwards(apps, schema_editor):
    if is_postgres(schema_editor.connection):
        for name in LEGACY_INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
    ensure_search_database_objects(schema_editor.connection)


def backwards(apps, schema_editor):
    if not is_postgres(schema_editor.connection):
        return
    for language in LANGUAGES:
        for name in INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS search_entry_{name}_{language}")
    for column in NEW_COLUMNS:
        schema_editor.execute(f"ALTER TABLE search_searchentry DROP COLUMN IF EXISTS {column}")
    for name, expression in [
        ("search_entry_document_gin", "document"),
        ("search_entry_normalized_trgm", "normalized gin_trgm_ops"),
        ("search_entry_terms_trgm", "terms gin_trgm_ops"),
        ("search_entry_norm_title_trgm", "norm_title gin_trgm_ops"),
    ]:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON search_searchentry USING gin ({expression})")


class Migration(migrations.Migration):
    dependencies = [("search", "0004_norm_title_trigram_index")]

    operations = [migrations.RunPython(forwards, backwards)]
