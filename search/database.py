"""PostgreSQL objects behind the search index, created by a migration and by the test set-up.

Extensions unaccent and pg_trgm, an IMMUTABLE f_unaccent() wrapper, text search configurations
that ignore accents (french_unaccent, english_unaccent, simple_unaccent), and generated columns on
search_searchentry, each with a GIN index:
- `document`, weighted tsvector of everything (names, summary, body), matched by the search page;
- `names_document`, the same for names and codes only, small enough to stay in the row: ranked for
  every match, matched by autocomplete;
- `name_words`, the words of the names (`normalized`) as they are, for word prefixes ("infir:*");
- `term_list`, the names as an array (`terms`), for exact names and codes ("sage femme", "oiq");
a btree index on `norm_title` for title prefixes; and a trigram index on the vocabulary of the
names (search_searchword), where typos are corrected. Every statement is idempotent. Nothing
happens on other databases (SQLite's local run uses the Python fallback in search.query).
"""

TABLE = "search_searchentry"


def _names_document(language_config: str, other_config: str) -> str:
    """Weighted vector of a row's names: A names and codes, B the other language."""
    return (
        f"setweight(to_tsvector('{language_config}'::regconfig, title || ' ' || names), 'A')"
        f" || setweight(to_tsvector('simple_unaccent'::regconfig, codes), 'A')"
        f" || setweight(to_tsvector('{other_config}'::regconfig, other_names), 'B')"
    )


def _document(language_config: str, other_config: str) -> str:
    """Weighted vector of a row: A names and codes, B the other language, C summary, D body."""
    return (
        _names_document(language_config, other_config)
        + f" || setweight(to_tsvector('{language_config}'::regconfig, summary || ' ' || order_title), 'C')"
        f" || setweight(to_tsvector('{language_config}'::regconfig, body), 'D')"
    )


def _by_language(vector) -> str:
    """The row's vector built with its own language's configuration (French unless English)."""
    return (
        f"CASE WHEN language = 'en' THEN {vector('english_unaccent', 'french_unaccent')}"
        f" ELSE {vector('french_unaccent', 'english_unaccent')} END"
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


# Generated columns (the model does not declare them): what the queries match and rank.
COLUMNS = {
    "document": f"tsvector GENERATED ALWAYS AS ({_by_language(_document)})",
    "names_document": f"tsvector GENERATED ALWAYS AS ({_by_language(_names_document)})",
    "name_words": "tsvector GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, normalized))",
    "term_list": "text[] GENERATED ALWAYS AS (string_to_array(btrim(terms, '|'), '|'))",
}
# Every query names its language, so each index covers one language: half the entries to read, and
# no other index to combine with.
LANGUAGES = ("fr", "en")
INDEXES = {
    "document": "gin (document)",
    "names_document": "gin (names_document)",
    "name_words": "gin (name_words)",
    "term_list": "gin (term_list)",
    # Title prefixes (LIKE 'infir%'), the shortest first from the index alone (search.query._MATCH_SQL).
    "norm_title": "btree (norm_title varchar_pattern_ops) INCLUDE (kind, id)",
}

# Indexes on both languages at once, before migration 0005.
LEGACY_INDEXES = (
    "search_entry_document_gin",
    "search_entry_normalized_trgm",
    "search_entry_terms_trgm",
    "search_entry_norm_title_trgm",
)

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
    *(f"ALTER TABLE {TABLE} ADD COLUMN IF NOT EXISTS {name} {spec} STORED" for name, spec in COLUMNS.items()),
    *(
        f"CREATE INDEX IF NOT EXISTS search_entry_{name}_{language} ON {TABLE} USING {expression}"
        f" WHERE language = '{language}'"
        for language in LANGUAGES
        for name, expression in INDEXES.items()
    ),
]

# The vocabulary's trigram index, once its table exists (migration 0007; earlier migrations skip it).
# One index for both languages: the planner does not use a partial trigram index on this table.
WORD_TABLE = "search_searchword"
WORD_STATEMENTS = [f"CREATE INDEX IF NOT EXISTS search_word_trgm ON {WORD_TABLE} USING gin (word gin_trgm_ops)"]

DROP_STATEMENTS = [
    "DROP INDEX IF EXISTS search_word_trgm",
    *(f"DROP INDEX IF EXISTS search_entry_{name}_{language}" for language in LANGUAGES for name in INDEXES),
    *(f"DROP INDEX IF EXISTS {name}" for name in LEGACY_INDEXES),
    *(f"ALTER TABLE {TABLE} DROP COLUMN IF EXISTS {column}" for column in reversed(COLUMNS)),
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
        has_words = WORD_TABLE in connection.introspection.table_names(cursor)
        for statement in CREATE_STATEMENTS + (WORD_STATEMENTS if has_words else []):
            cursor.execute(statement)


def drop_search_database_objects(connection) -> None:
    """Remove what ensure_search_database_objects created, except the extensions."""
    if not is_postgres(connection):
        return
    with connection.cursor() as cursor:
        for statement in DROP_STATEMENTS:
            cursor.execute(statement)
