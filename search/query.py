"""Find SearchEntry rows for what people type: PostgreSQL full text + trigrams, or a Python fallback.

Both paths take the same prepared query and return entry ids, best first:
1. matches: full-text (French and English stemming, accents ignored), exact names and codes
   ("OIQ", "sage femme"), and word prefixes ("infir");
2. when nothing matches, typo matching (trigram similarity; difflib on SQLite), and the best
   typo match's title becomes the "did you mean" suggestion.
Ranking favours an exact title, then an exact name or code, then a title that starts with the
query, then the similarity of the closest name, then full-text rank, then professions before orders.
"""

import difflib
from dataclasses import dataclass, field

from django.db import connection, transaction

from search.models import BLOG_POST, EXPLAINER, ORDER, PROFESSION, SearchEntry, SearchSynonym
from search.text import normalize, stem

MAX_RESULTS = 200
FUZZY_THRESHOLD = 0.45  # measured: "dentsite" 0.56, "optometrst" 0.82; "peng" → Architecte 0.40
KIND_BOOST = {PROFESSION: 0.6, ORDER: 0.4, EXPLAINER: 0.2, BLOG_POST: 0.1}


@dataclass
class PreparedQuery:
    text: str  # what was typed (cleaned), for websearch_to_tsquery
    phrases: list[str]  # normalized query, then normalized synonym expansions
    expansions: list[str] = field(default_factory=list)

    @property
    def words(self) -> list[str]:
        return [word for phrase in self.phrases for word in phrase.split()]


@dataclass
class SearchOutcome:
    ids: list[int]
    fuzzy: bool = False  # results come from typo matching
    suggestion: str = ""  # "did you mean"


def prepare(text: str) -> PreparedQuery:
    """Normalize the query and add the editors' synonyms for it (current language)."""
    expansions = []
    for synonym in SearchSynonym.objects.all():
        if synonym.matches(text):
            expansions += synonym.expansion_list
    phrases = [phrase for phrase in dict.fromkeys(normalize(item) for item in [text, *expansions]) if phrase]
    return PreparedQuery(text=text, phrases=phrases, expansions=expansions)


def search_entries(text: str, language: str, kinds: list[str] | None = None, limit: int = MAX_RESULTS):
    """Entry ids for the query in that language, best first (see the module docstring)."""
    query = prepare(text)
    if not query.phrases:
        return SearchOutcome(ids=[])
    engine = _postgres if connection.vendor == "postgresql" else _python
    return engine(query, language, kinds, limit)


# --- PostgreSQL ------------------------------------------------------------------------------

_KIND_BOOST_SQL = " ".join(f"WHEN '{kind}' THEN {boost}" for kind, boost in KIND_BOOST.items())

# Every branch of the WHERE has a GIN index (tsvector, trigrams on terms and normalized), so the
# planner ORs three bitmap index scans instead of reading every row of the language. Ranking runs in
# two steps: a cheap score for every match (exact title and name, title prefix, full-text rank,
# kind), then the name similarity (an unnest per row, the costly part) only for the matches whose
# cheap score is within 2 (the similarity's weight: 2 × [0, 1]) of the limit-th best cheap score.
# The others cannot reach the first `limit` results, so the order is the same as ranking them all.
_MATCH_SQL = f"""
WITH q AS (
    SELECT websearch_to_tsquery('french_unaccent', %(text)s)
        || websearch_to_tsquery('english_unaccent', %(text)s)
        || websearch_to_tsquery('simple_unaccent', %(text)s) AS ts
), matched AS MATERIALIZED (
    SELECT e.id, e.norm_title, e.terms,
        CASE WHEN e.norm_title = ANY(%(phrases)s) THEN 10 ELSE 0 END
        + CASE WHEN e.terms LIKE ANY(%(term_patterns)s) THEN 6 ELSE 0 END
        + CASE WHEN e.norm_title LIKE ANY(%(title_prefixes)s) THEN 2 ELSE 0 END
        + ts_rank(e.document, q.ts)
        + CASE e.kind {_KIND_BOOST_SQL} ELSE 0 END AS base
    FROM search_searchentry e, q
    -- lower(): keeps the planner off the (language, kind) index, whose bitmap would test every row
    -- of the language against the (TOASTed) document instead of ORing the three GIN index scans.
    WHERE lower(e.language) = %(language)s {{kinds}}
      AND (e.document @@ q.ts OR e.terms LIKE ANY(%(term_patterns)s) OR {{prefix}})
), cutoff AS (
    SELECT COALESCE((SELECT base FROM matched ORDER BY base DESC OFFSET %(limit)s - 1 LIMIT 1), 0) - 2 AS base
)
SELECT m.id FROM matched m, cutoff
WHERE m.base >= cutoff.base
ORDER BY
    m.base + 2 * (SELECT max(similarity(term, %(first)s)) FROM unnest(string_to_array(m.terms, '|')) AS term)
    DESC, m.norm_title, m.id
LIMIT %(limit)s
"""  # noqa: S608 - only constants are formatted in; what people type goes in as parameters

# Typos: the trigram operators (<% word similarity, % similarity) use the GIN indexes on normalized
# and norm_title to find candidates at the thresholds set below, then the scores are checked as before.
_FUZZY_SQL = """
SELECT e.id, e.title FROM (
    SELECT e.id, e.title, e.norm_title, e.kind,
        GREATEST(word_similarity(%(first)s, e.normalized), similarity(%(first)s, e.norm_title)) AS score,
        similarity(%(first)s, e.norm_title) AS title_score
    FROM search_searchentry e
    WHERE e.language = %(language)s {kinds}
      AND (%(first)s <%% e.normalized OR %(first)s %% e.norm_title)
) e
WHERE e.score >= %(threshold)s
ORDER BY e.score + e.title_score + CASE e.kind {kind_boost} ELSE 0 END / 4 DESC, e.norm_title, e.id
LIMIT %(limit)s
"""

_FUZZY_THRESHOLDS_SQL = """
SELECT set_config('pg_trgm.word_similarity_threshold', %(threshold_text)s, true),
       set_config('pg_trgm.similarity_threshold', %(threshold_text)s, true)
"""


def _postgres(query: PreparedQuery, language: str, kinds, limit: int) -> SearchOutcome:
    params = {
        "text": " or ".join([query.text, *query.expansions]),
        "language": language,
        "phrases": query.phrases,
        "first": query.phrases[0],
        "term_patterns": [f"%|{phrase}|%" for phrase in query.phrases],
        "title_prefixes": [f"{phrase}%" for phrase in query.phrases],
        "limit": limit,
        "threshold": FUZZY_THRESHOLD,
        "threshold_text": str(FUZZY_THRESHOLD),
        "kinds": kinds or [],
    }
    kinds_sql = "AND e.kind = ANY(%(kinds)s)" if kinds else ""
    prefixes = []
    for number, phrase in enumerate(query.phrases):
        conditions = []
        for position, word in enumerate(item for item in phrase.split() if len(item) >= 2):
            # One LIKE per word (not LIKE ALL(array), which no index serves): each uses the trigram index.
            params[f"prefix_{number}_{position}"] = f"% {word}%"
            conditions.append(f"e.normalized LIKE %(prefix_{number}_{position})s")
        if conditions:
            prefixes.append("(" + " AND ".join(conditions) + ")")
    prefix_sql = "(" + " OR ".join(prefixes) + ")" if prefixes else "FALSE"
    # The settings below last until the end of this transaction only.
    with transaction.atomic(), connection.cursor() as cursor:
        # The match is an OR of GIN index conditions: never a sequential scan testing every document.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(_MATCH_SQL.format(kinds=kinds_sql, prefix=prefix_sql), params)
        ids = [row[0] for row in cursor.fetchall()]
        if ids:
            return SearchOutcome(ids=ids)
        cursor.execute(_FUZZY_THRESHOLDS_SQL, params)
        cursor.execute(_FUZZY_SQL.format(kinds=kinds_sql, kind_boost=_KIND_BOOST_SQL), params)
        rows = cursor.fetchall()
    return SearchOutcome(ids=[row[0] for row in rows], fuzzy=bool(rows), suggestion=rows[0][1] if rows else "")


# --- Python fallback (SQLite local run) ------------------------------------------------------


def _python(query: PreparedQuery, language: str, kinds, limit: int) -> SearchOutcome:
    entries = SearchEntry.objects.filter(language=language)
    if kinds:
        entries = entries.filter(kind__in=kinds)
    rows = list(entries.values_list("id", "kind", "title", "norm_title", "terms", "normalized"))
    scored = []
    for entry_id, kind, _title, norm_title, terms, normalized in rows:
        score = _python_score(query, kind, norm_title, terms, normalized)
        if score is not None:
            scored.append((-score, norm_title, entry_id))
    if scored:
        return SearchOutcome(ids=[entry_id for *_key, entry_id in sorted(scored)[:limit]])
    # Typos: the closest title or name (difflib), like the trigram fallback on PostgreSQL.
    best = []
    for entry_id, _kind, title, norm_title, terms, _normalized in rows:
        candidates = [norm_title, *terms.strip("|").split("|")]
        ratio = max(difflib.SequenceMatcher(None, query.phrases[0], item).ratio() for item in candidates)
        if ratio >= 0.75:
            best.append((-ratio, norm_title, entry_id, title))
    best.sort()
    return SearchOutcome(
        ids=[item[2] for item in best[:limit]], fuzzy=bool(best), suggestion=best[0][3] if best else ""
    )


def _python_score(query: PreparedQuery, kind: str, norm_title: str, terms: str, normalized: str):
    """Score like the SQL ranking, or None when the entry does not match."""
    for phrase in query.phrases:
        stems = [stem(word) for word in phrase.split()]
        exact_term = f"|{phrase}|" in terms
        if exact_term or all(f" {item}" in normalized for item in stems):
            return (
                (10 if norm_title == phrase else 0)
                + (6 if exact_term else 0)
                + (2 if norm_title.startswith(phrase) else 0)
                + 2 * max(difflib.SequenceMatcher(None, term, phrase).ratio() for term in terms.split("|"))
                + KIND_BOOST.get(kind, 0)
            )
    return None
