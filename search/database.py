"""PostgreSQL objects behind the search index, created by a migration and by the test set-up.

Extensions unaccent and pg_trgm, an IMMUTABLE f_unaccent() wrapper, text search configurations
that ignore accents (french_unaccent, english_unaccent, simple_unaccent), a generated, weighted
tsvector column on search_searchentry with its GIN index, and trigram GIN indexes for prefixes and
typos. Every statement is idempotent. Nothing happens on other databases (SQLite's local run uses
the Python fallback in search.query).
"""

TABLE = "search_searchentry"


def _document(language_config: str, other_config: str) -> str:
    """Weighted vector of a row: A names and codes, B the other language, C summary, D body."""
    return (
        f"setweight(to_tsvector('{language_config}'::regconfig, title || ' ' || names), 'A')"
        f" || setweight(to_tsvector('simple_unaccent'::regconfig, codes), 'A')"
        f" || setweight(to_tsvector('{other_config}'::regconfig, other_names), 'B')"
        f" || setweight(to_tsvector('{language_config}'::regconfig, summary || ' ' || order_title), 'C')"
        f" || setweight(to_tsvector('{language_config}'::regconfig, body), 'D')"
    )


def _configuration(name: str, copy: str, dictionary: str) -> str:
    return f"""
    DO $$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = '{name}') THEN
            CREATE TEXT SEARCH CONFIGURATION {name} (COPY = {copy});
            ALTER TEXT SEARCH CONFIGURATION {name}
                ALTER MAPPING FOR hword, hword_part, word WITH unaccent, {dictionary};
        END IF;
    END $$;
    """  # noqa: S608 - constants only


CREATE_STATEMENTS = [
    # Trusted extensions since PostgreSQL 13: the database owner may create them.
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    # unaccent() is only STABLE (it reads the dictionary by name); indexes need IMMUTABLE.
    """CREATE OR REPLACE FUNCTION f_unaccent(text) RETURNS text
        LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
        AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$""",
    _configuration("french_unaccent", "french", "french_stem"),
    _configuration("english_unaccent", "english", "english_stem"),
    _configuration("simple_unaccent", "simple", "simple"),
    f"""ALTER TABLE {TABLE} ADD COLUMN IF NOT EXISTS document tsvector GENERATED ALWAYS AS (
        CASE WHEN language = 'en' THEN {_document("english_unaccent", "french_unaccent")}
        ELSE {_document("french_unaccent", "english_unaccent")} END
    ) STORED""",
    f"CREATE INDEX IF NOT EXISTS search_entry_document_gin ON {TABLE} USING gin (document)",
    f"CREATE INDEX IF NOT EXISTS search_entry_normalized_trgm ON {TABLE} USING gin (normalized gin_trgm_ops)",
    f"CREATE INDEX IF NOT EXISTS search_entry_terms_trgm ON {TABLE} USING gin (terms gin_trgm_ops)",
    # Typo matching compares the query with the title too (search.query._FUZZY_SQL).
    f"CREATE INDEX IF NOT EXISTS search_entry_norm_title_trgm ON {TABLE} USING gin (norm_title gin_trgm_ops)",
]

DROP_STATEMENTS = [
    "DROP INDEX IF EXISTS search_entry_norm_title_trgm",
    "DROP INDEX IF EXISTS search_entry_terms_trgm",
    "DROP INDEX IF EXISTS search_entry_normalized_trgm",
    "DROP INDEX IF EXISTS search_entry_document_gin",
    f"ALTER TABLE {TABLE} DROP COLUMN IF EXISTS document",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS simple_unaccent",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS english_unaccent",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS french_unaccent",
    "DROP FUNCTION IF EXISTS f_unaccent(text)",
    # The extensions stay: other apps (Wagtail's Fuzzy search) may rely on them.
]


def is_postgres(connection) -> bool:
    return connection.vendor == "postgresql"


def ensure_search_database_objects(connection) -> None:
    """Create the PostgreSQL search objects if missing (a no-op elsewhere)."""
    if not is_postgres(connection):
        return
    with connection.cursor() as cursor:
        for statement in CREATE_STATEMENTS:
            cursor.execute(statement)


def drop_search_database_objects(connection) -> None:
    """Remove what ensure_search_database_objects created, except the extensions."""
    if not is_postgres(connection):
        return
    with connection.cursor() as cursor:
        for statement in DROP_STATEMENTS:
            cursor.execute(statement)
