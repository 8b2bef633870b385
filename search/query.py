"""Find SearchEntry rows for what people type: PostgreSQL full text + trigrams, or a Python fallback.

Both paths take the same prepared query and return entry ids, best first:
1. matches: full-text (French and English stemming, accents ignored), exact names and codes
   ("OIQ", "sage femme"), and word prefixes ("infir");
2. when nothing matches, typo matching (each word corrected against the names' vocabulary, then
   the corrected names matched exactly, on PostgreSQL; rapidfuzz on SQLite), and the best typo
   match's title becomes the "did you mean" suggestion.
Ranking favours an exact title, then an exact name or code, then a title that starts with the
query, then the similarity of the closest name, then full-text rank, then professions before orders.
Autocomplete matches names and codes only (names_only), never body text.
"""

import contextlib
import itertools
from dataclasses import dataclass, field

from django.db import connections, router, transaction
from django.utils import translation

from home.language import normalize
from ops.cache import shared_value
from search.models import BLOG_POST, EXPLAINER, ORDER, PROFESSION, SearchEntry, SearchSynonym
from search.words import closeness, prefix, ratio, singular

MAX_RESULTS = 200
SHORTLIST_EXTRA = 100  # matches ranked beyond the limit (see _MATCH_SQL)
FINELY_RANKED = 50  # the best of them ranked fully: the first five pages of results
WORD_THRESHOLD = 0.3  # trigram similarity of a typed word and a known one: "dentsite" → dentiste 0.38
CORRECTIONS_PER_WORD = 3  # closest known words tried for each typed word (1 beyond three words)
MAX_TYPO_WORDS = 8
CLOSE_ENOUGH = 0.75  # a typo match is shown only this close to a whole name (search.words.ratio): "dentsite" 0.88
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


def synonyms(language: str, request=None) -> dict[str, list[str]]:
    """The editors' synonyms as read in that language (the other language's when this one is empty):
    normalized term → normalized expansions, cached until the next change (synonyms bump the generation)."""

    def build():
        table: dict[str, list[str]] = {}
        with translation.override(language):
            for synonym in SearchSynonym.objects.filter(live=True):
                term = normalize(synonym.term or "")
                if term:
                    table.setdefault(term, []).extend(normalize(item) for item in synonym.expansion_list)
        return table

    return shared_value(f"search-synonyms-{language}", build, request)


def prepare(text: str, language: str) -> PreparedQuery:
    """Normalize the query and add the editors' synonyms for it (in that language) and its singular."""
    normalized = normalize(text)
    expansions = list(synonyms(language).get(normalized, []))
    if singular(normalized) != normalized:
        expansions.append(singular(normalized))
    phrases = [phrase for phrase in dict.fromkeys(normalize(item) for item in [text, *expansions]) if phrase]
    return PreparedQuery(text=text, phrases=phrases, expansions=expansions)


def search_database():
    """The connection searches read: the replica for an anonymous request when there is one."""
    return connections[router.db_for_read(SearchEntry)]


@contextlib.contextmanager
def hinted_cursor(database):
    """A cursor for read-only queries whose planner settings (SET LOCAL, set_config(…, true)) end
    with the block.

    SET LOCAL lasts until the transaction ends, and with ATOMIC_REQUESTS that is the end of the
    request: every later query would run with the hint. The block runs in a savepoint that is
    rolled back, which undoes the settings (whatever they were before) and costs no extra
    statement (ROLLBACK TO SAVEPOINT instead of RELEASE SAVEPOINT).
    """
    with transaction.atomic(using=database.alias), database.cursor() as cursor:
        try:
            yield cursor
        finally:
            transaction.set_rollback(True, using=database.alias)


def search_entries(
    text: str,
    language: str,
    kinds: list[str] | None = None,
    limit: int = MAX_RESULTS,
    names_only: bool = False,
    typos: bool = True,
) -> SearchOutcome:
    """Entry ids for the query in that language, best first (see the module docstring).

    names_only: match names and codes, not body text (autocomplete). typos=False: no typo matching
    when nothing matches (a question already answered needs no "did you mean").
    """
    query = prepare(text, language)
    if not query.phrases:
        return SearchOutcome(ids=[])
    if search_database().vendor == "postgresql":
        return _postgres(query, language, kinds, limit, names_only, typos)
    return _python(query, language, kinds, limit, names_only, typos)


# --- PostgreSQL ------------------------------------------------------------------------------

_KIND_BOOST_SQL = " ".join(f"WHEN '{kind}' THEN {boost}" for kind, boost in KIND_BOOST.items())
# Written out wherever it is used (not a CTE): a constant that the planner evaluates once and can
# estimate, so it reads the GIN indexes instead of the (language, kind) index.
_TSQUERY = """(websearch_to_tsquery('french_unaccent', %(text)s)
    || websearch_to_tsquery('english_unaccent', %(text)s)
    || websearch_to_tsquery('simple_unaccent', %(text)s))"""

# Matching and ranking, for a broad query ("in", "protection du public") matches thousands of rows:
# - Matches come in three tiers, each read with indexes that answer exactly (no recheck of the
#   TOASTed document): "strong" (an exact name or code, or a title that starts with the query: the
#   list of names, the title's btree), "named" (full text or word prefixes in the names: the names'
#   vector and words) and "body" (full text anywhere else: the document, search page only).
# - Titles that start with the query: only the shortest (a shortlist of them), chosen from the
#   title's index alone (it includes the kind and id): "techn" starts 1,866 titles on the large
#   bench, each row on a page of its own.
# - A cheap score for every match: exact title (10) and name (6), title prefix (2), kind, and the
#   full-text rank of the names (a small vector stored in the row).
# - The `shortlist`: named matches before body matches (a body-only match has no close name), then
#   the best cheap scores, then the shortest titles (a short name is the closest to what was typed).
#   Strong matches score at least 2, the others at most 1.6 (kind 0.6 + names' rank 1), so the tiers
#   come in order: once the tiers read fill the shortlist, the next tier cannot enter it and is not
#   read at all (the one-time filters on the counts). Body matches come after every name match, and
#   at most a shortlist of them is read, in no particular order ("complaint" is in the text of
#   thousands of posts: which of them fill the last pages is not worth reading them all).
# - The final score, for the first 50 of the shortlist only (the first five pages; the rest keep the
#   shortlist's order): the cheap score with the full-text rank of the whole document (search page)
#   instead of the names', plus twice the similarity of the closest name (a trigram comparison per
#   name, the costly part); the shortest title first among equal scores.
# When fewer rows match than that (the real directory), every match is ranked fully.
_COLUMNS = f"""e.id, e.norm_title, e.term_list,
        CASE WHEN e.norm_title = ANY(%(phrases)s) THEN 10 ELSE 0 END
        + CASE WHEN e.term_list && %(phrases)s::text[] THEN 6 ELSE 0 END
        + CASE WHEN {{title_prefix}} THEN 2 ELSE 0 END
        + CASE e.kind {_KIND_BOOST_SQL} ELSE 0 END AS base,
        ts_rank(e.names_document, {_TSQUERY}) AS names_rank"""
_STRONG = "(e.term_list && %(phrases)s::text[] OR {strong_title_prefix})"
_NAMED = f"(e.names_document @@ {_TSQUERY} {{prefix}})"
_MATCH_SQL = f"""
WITH strong_ids AS (
    (SELECT e.id FROM search_searchentry e
     WHERE e.language = %(language)s {{kinds}} AND {{strong_title_prefix}}
     ORDER BY length(e.norm_title), e.norm_title, e.id
     LIMIT %(shortlist)s)
    UNION
    SELECT e.id FROM search_searchentry e
    WHERE e.language = %(language)s {{kinds}} AND e.term_list && %(phrases)s::text[]
), strong AS MATERIALIZED (
    SELECT {_COLUMNS}, TRUE AS by_name FROM search_searchentry e WHERE e.id IN (SELECT id FROM strong_ids)
), named AS MATERIALIZED (
    SELECT {_COLUMNS}, TRUE AS by_name FROM search_searchentry e
    WHERE (SELECT count(*) FROM strong) < %(enough)s
      AND e.language = %(language)s {{kinds}} AND {_NAMED} AND NOT {_STRONG}
){{body}}, shortlist AS MATERIALIZED (
    SELECT matched.*,
        row_number() OVER (ORDER BY by_name DESC, base + names_rank DESC, length(norm_title), id) AS position
    FROM (SELECT * FROM strong UNION ALL SELECT * FROM named {{union_body}}) AS matched
    ORDER BY position
    LIMIT %(shortlist)s
)
SELECT s.id FROM shortlist s
ORDER BY
    s.position > %(fine)s,
    CASE WHEN s.position <= %(fine)s THEN s.base + {{rank}}
        + 2 * (SELECT max(similarity(term, %(first)s)) FROM unnest(s.term_list) AS term) END DESC,
    CASE WHEN s.position <= %(fine)s THEN length(s.norm_title) END,
    CASE WHEN s.position <= %(fine)s THEN s.norm_title END,
    s.position
LIMIT %(limit)s
"""  # noqa: S608 - only constants are formatted in; what people type goes in as parameters
_BODY = f""", body AS (
    SELECT {_COLUMNS}, FALSE AS by_name FROM search_searchentry e
    WHERE (SELECT count(*) FROM strong) + (SELECT count(*) FROM named) < %(enough)s
      AND e.language = %(language)s {{kinds}} AND e.document @@ {_TSQUERY} AND NOT {_STRONG} AND NOT {_NAMED}
    LIMIT %(shortlist)s
)"""  # noqa: S608 - constants only


def _match_sql(names_only: bool, **parts: str) -> str:
    """_MATCH_SQL for autocomplete (names only) or the search page (body text too)."""
    if names_only:
        return _MATCH_SQL.format(body="", union_body="", rank="s.names_rank", **parts)
    return _MATCH_SQL.format(
        body=_BODY.format(**parts),
        union_body="UNION ALL SELECT * FROM body",
        # The document is read for the best of the shortlist only (constants only).
        rank=f"(SELECT ts_rank(d.document, {_TSQUERY}) FROM search_searchentry d WHERE d.id = s.id)",  # noqa: S608
        **parts,
    )


# Typos, in two steps:
# 1. each typed word is corrected against the vocabulary of the names (search_searchword, a few thousand
#    words with a trigram index): its closest words (the word itself when it is known), best first;
# 2. the corrected phrases are matched exactly against the names (term_list, as exact names are), and
#    the rows found are ranked by how close their names and title are to what was typed.
# Comparing what was typed with every name of every row instead (a trigram index on all the names)
# costs 30–60 ms on 20,000 professions; this costs about 1 ms.
_CORRECTIONS_SQL = """
SELECT typed.position, close.word
FROM unnest(%(words)s::text[]) WITH ORDINALITY AS typed(word, position)
CROSS JOIN LATERAL (
    SELECT w.word FROM search_searchword w
    WHERE w.language = %(language)s AND w.word %% typed.word
    ORDER BY similarity(w.word, typed.word) DESC, w.word
    LIMIT %(per_word)s
) AS close
"""
_FUZZY_SQL = """
WITH candidates AS MATERIALIZED (
    SELECT e.id, e.title, e.norm_title, e.kind, e.terms,
        word_similarity(%(first)s, e.normalized) AS word_score,
        similarity(%(first)s, e.norm_title) AS title_score
    FROM search_searchentry e
    WHERE e.language = %(language)s {kinds} AND e.term_list && %(corrected)s::text[]
)
SELECT id, title, norm_title, terms FROM candidates
ORDER BY GREATEST(word_score, title_score) + title_score + CASE kind {kind_boost} ELSE 0 END / 4 DESC, norm_title, id
LIMIT %(limit)s
"""


def closest_words(cursor, typed: list[str], language: str, per_word: int = CORRECTIONS_PER_WORD) -> list[list[str]]:
    """For each typed word, its closest known words, best first: the word itself when it is known,
    "dentsite" → dentiste, denturiste, dentier (PostgreSQL; see _CORRECTIONS_SQL)."""
    cursor.execute("SELECT set_config('pg_trgm.similarity_threshold', %s, true)", [str(WORD_THRESHOLD)])
    cursor.execute(_CORRECTIONS_SQL, {"words": typed, "language": language, "per_word": per_word})
    closest: list[list[str]] = [[] for _word in typed]
    for position, word in cursor.fetchall():
        closest[position - 1].append(word)
    return closest


def corrected_phrases(cursor, phrase: str, language: str) -> list[str]:
    """What the phrase may have meant: each word replaced by one of its closest known words; a word with
    no close word is left out, and nothing is left when no word has one."""
    typed = phrase.split()[:MAX_TYPO_WORDS]
    if not typed:
        return []
    closest = closest_words(cursor, typed, language, CORRECTIONS_PER_WORD if len(typed) <= 3 else 1)
    choices = [words for words in closest if words]
    return [" ".join(words) for words in itertools.product(*choices)] if choices else []


def _postgres(query: PreparedQuery, language: str, kinds, limit: int, names_only: bool, typos: bool) -> SearchOutcome:
    params = {
        "text": " or ".join([query.text, *query.expansions]),
        "language": language,
        "phrases": query.phrases,
        "first": query.phrases[0],
        "limit": limit,
        "shortlist": limit + SHORTLIST_EXTRA,
        "fine": FINELY_RANKED,
        "kinds": kinds or [],
    }
    # Title prefixes: one LIKE per phrase (LIKE ANY(array) cannot use the title's index). Word
    # prefixes ("infir", "sage f"): every word of a phrase (2 letters or more), without its plural or
    # feminine ending ("sages-femmes" → sage, femm), starts a word of the names.
    title_prefixes, strong_title_prefixes, prefixes = [], [], []
    for number, phrase in enumerate(query.phrases):
        params[f"title_prefix_{number}"] = f"{phrase}%"
        title_prefixes.append(f"e.norm_title LIKE %(title_prefix_{number})s")
        words = [prefix(word) for word in phrase.split() if len(word) >= 2]
        if words:  # then a title prefix is also a word prefix: a match, and a strong one
            strong_title_prefixes.append(title_prefixes[-1])
            prefixes.append("(" + " & ".join(f"{word}:*" for word in words) + ")")
    params["prefix_query"] = " | ".join(prefixes)
    # A title prefix that is no match ("i") still scores 2: then no tier may be skipped.
    params["enough"] = params["shortlist"] if len(prefixes) == len(query.phrases) else 2**31 - 1
    parts = {
        "kinds": "AND e.kind = ANY(%(kinds)s)" if kinds else "",
        "title_prefix": "(" + " OR ".join(title_prefixes) + ")",
        "strong_title_prefix": "(" + " OR ".join(strong_title_prefixes or ["FALSE"]) + ")",
        "prefix": "OR e.name_words @@ to_tsquery('simple', %(prefix_query)s)" if prefixes else "",
    }
    # Anonymous searches read the replica when there is one (ops/database/). The
    # settings below end with the block (hinted_cursor).
    with hinted_cursor(search_database()) as cursor:
        # The match is an OR of GIN index conditions: never a sequential scan testing every document.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(_match_sql(names_only, **parts), params)
        ids = [row[0] for row in cursor.fetchall()]
        if ids or not typos:
            return SearchOutcome(ids=ids)
        params["corrected"] = corrected_phrases(cursor, query.phrases[0], language)
        if not params["corrected"]:
            return SearchOutcome(ids=[])
        cursor.execute(_FUZZY_SQL.format(kinds=parts["kinds"], kind_boost=_KIND_BOOST_SQL), params)
        # Only names genuinely close to what was typed: "mécanicien" is no typo for Technologiste médical.
        rows = [
            row
            for row in cursor.fetchall()
            if closeness(query.phrases[0], [row[2], *row[3].strip("|").split("|")], CLOSE_ENOUGH)
        ]
    return SearchOutcome(ids=[row[0] for row in rows], fuzzy=bool(rows), suggestion=rows[0][1] if rows else "")


# --- Python fallback (SQLite local run) ------------------------------------------------------


def _python(
    query: PreparedQuery, language: str, kinds, limit: int, names_only: bool = False, typos: bool = True
) -> SearchOutcome:
    entries = SearchEntry.objects.filter(language=language)
    if kinds:
        entries = entries.filter(kind__in=kinds)
    rows = list(entries.values_list("id", "kind", "title", "norm_title", "terms", "normalized", "body"))
    scored = []
    for entry_id, kind, _title, norm_title, terms, normalized, body in rows:
        score = _python_score(query, kind, norm_title, terms, normalized)
        if score is None and not names_only and _in_body(query, body):
            score = KIND_BOOST.get(kind, 0)  # body text only: after every name match, as on PostgreSQL
        if score is not None:
            scored.append((-score, len(norm_title), norm_title, entry_id))
    if scored or not typos:
        return SearchOutcome(ids=[entry_id for *_key, entry_id in sorted(scored)[:limit]])
    # Typos: the closest title or name (search.words.closeness), like the trigram fallback on PostgreSQL.
    best = []
    for entry_id, _kind, title, norm_title, terms, _normalized, _body in rows:
        ratio = closeness(query.phrases[0], [norm_title, *terms.strip("|").split("|")], CLOSE_ENOUGH)
        if ratio:
            best.append((-ratio, norm_title, entry_id, title))
    best.sort()
    return SearchOutcome(
        ids=[item[2] for item in best[:limit]], fuzzy=bool(best), suggestion=best[0][3] if best else ""
    )


def _in_body(query: PreparedQuery, body: str) -> bool:
    """Every word of one of the phrases starts a word of the body text."""
    text = f" {normalize(body)}"
    return any(all(f" {prefix(word)}" in text for word in phrase.split()) for phrase in query.phrases)


def _python_score(query: PreparedQuery, kind: str, norm_title: str, terms: str, normalized: str):
    """Score like the SQL ranking, or None when the entry does not match."""
    for phrase in query.phrases:
        stems = [prefix(word) for word in phrase.split()]
        exact_term = f"|{phrase}|" in terms
        if exact_term or all(f" {item}" in normalized for item in stems):
            return (
                (10 if norm_title == phrase else 0)
                + (6 if exact_term else 0)
                + (2 if norm_title.startswith(phrase) else 0)
                + 2 * max(ratio(term, phrase) for term in terms.split("|"))
                + KIND_BOOST.get(kind, 0)
            )
    return None
