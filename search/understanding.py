"""Understand what people type: « plainte contre mon dentiste », "my accountant overcharged me".

One function, `understand(text, request)`, used by the search page, the autocomplete and the guide's
box. It finds, in either language whatever the site's language:
- the **profession or order** named anywhere in the question: exact names, reserved titles,
  abbreviations, acronyms, the other language's names and the editors' synonyms (all in the search
  entries' `terms`), in any form sharing a stem with a name's word ("infirmières", "avocate"), then
  typos ("dentsite") when nothing matched exactly;
- the **situations**: the guide's result steps whose words (editors write them on each result step:
  « facture, honoraires, trop cher », « blesser, crier ») the question tells, matched by stem
  (« blessé » is « blesser »), the most serious first (SERIOUSNESS): a story may tell several;
- **occupations no order governs**: the bodies that are not orders (« courtier immobilier » → OACIQ)
  and the occupations that no public body regulates (massage therapists).
Stop words (« mon », « contre », "my", "how to"…) are dropped first; stems, stop words and
closeness come from search.words. The words of the guide, of the
bodies and of the synonyms are cached until the next publish; a profession is one indexed query on
PostgreSQL (the entries' `term_list`), a scan of the names on SQLite (the local run).
"""

import itertools
from dataclasses import dataclass, field

from home.language import words
from home.public import public_pages
from ops.cache import cached_fragment, shared_value
from ops.cache.generation import request_generation
from protection.bodies import OtherBody, UnregulatedOccupation
from protection.models import GuidePage
from search.models import ORDER, PROFESSION, SearchEntry, SearchWord
from search.query import closest_words, hinted_cursor, search_database, synonyms
from search.words import STOP_WORDS, closeness, phrase_stems, stems

MAX_NGRAM = 6
TYPO_RATIO = 0.8  # "dentsite" → dentiste 0.875; "mecanicien" is far from every name
MAX_TYPO_WORDS = 3
MAX_WORDS = 200
# The order of seriousness when a story tells several situations: sexual misconduct, money kept,
# misconduct, then the rest; steps not listed come last in the guide's order.
SERIOUSNESS = (
    "r_sexual",
    "r_indemnity",
    "r_syndic",
    "r_illegal",
    "r_review",
    "r_private",
    "r_appeal",
    "r_fees",
    "r_civil",
    "r_admission",
    "r_office",
    "r_register",
)  # a story of about 1,000 characters (search.forms.MAX_QUERY_LENGTH)


class Question:
    """The content words of a question, ready to be matched against many phrases' stems."""

    def __init__(self, question: list[str]):
        self.words = question
        self.stems = frozenset().union(*(stems(word) for word in question))
        # Every start of 5 letters or more of the words: "facturation" starts with the stem of « facture ».
        self.starts = frozenset(word[:end] for word in question for end in range(5, len(word) + 1))
        self._found: dict[frozenset[str], bool] = {}

    def has(self, wanted: frozenset[str]) -> bool:
        """A question word matches a phrase word by a shared stem ("blessé", "blesser"), or starts with
        a long stem of it ("facturation" for « facture »)."""
        found = self._found.get(wanted)
        if found is None:
            found = not wanted.isdisjoint(self.stems) or not wanted.isdisjoint(self.starts)
            self._found[wanted] = found
        return found

    def score(self, phrase: tuple[frozenset[str], ...]) -> int:
        """How many words the phrase matches (all of them, in any order), else 0."""
        return len(phrase) if phrase and all(self.has(wanted) for wanted in phrase) else 0


# --- What the site knows, cached until the next publish ---------------------------------------------


def guide_situations(request) -> dict:
    """The guide's URL (active language) and its result steps with their words; empty without a public guide."""

    def build():
        guide = public_pages(GuidePage.objects.all()).first()
        if guide is None:
            return {}
        situations = []
        for step in guide.result_steps():
            words = step.pop("words")
            phrases = [phrase_stems(phrase, language) for language, phrase in words]
            situations.append({**step, "phrases": [phrase for phrase in phrases if phrase]})
        return {"url": guide.get_url(request), "page_id": guide.pk, "situations": situations}

    return cached_fragment("guide-situations", request, build=build)


def _other_words(request) -> list[tuple[str, int, list[tuple[str, ...]]]]:
    """(model, pk, phrases) for every body that is not an order and every unregulated occupation."""

    def build():
        rows = []
        for model, name in ((OtherBody, "body"), (UnregulatedOccupation, "unregulated")):
            for item in model.objects.filter(live=True):
                phrases = [phrase_stems(phrase, language) for language, phrase in item.search_words()]
                rows.append((name, item.pk, [phrase for phrase in phrases if phrase]))
        return rows

    return shared_value("understanding-other-bodies", build, request)


def _synonyms(request) -> list[tuple[str, list[str]]]:
    """The editors' synonyms of both languages: (normalized term, normalized expansions)."""
    return [pair for language in ("fr", "en") for pair in synonyms(language, request).items()]


# --- Understanding ------------------------------------------------------------------------------------


@dataclass
class Understanding:
    text: str
    words: list[str] = field(default_factory=list)  # content words (no stop words)
    entry: SearchEntry | None = None  # the profession or order named
    typo: bool = False  # the entry was found by a typo match
    situation: dict | None = None  # the most serious result step of the guide told (see guide_situations)
    situations: list[dict] = field(default_factory=list)  # every situation told, the most serious first
    bodies: list[OtherBody] = field(default_factory=list)
    unregulated: list[UnregulatedOccupation] = field(default_factory=list)
    guide: dict = field(default_factory=dict)

    @property
    def understood(self) -> bool:
        return bool(self.entry or self.situation or self.bodies or self.unregulated)

    @property
    def not_an_order(self) -> bool:
        """The question names an occupation that no order governs, and no profession."""
        return self.entry is None and bool(self.bodies or self.unregulated)


def understand(text: str, request, language: str) -> Understanding:
    """What the question is about (see the module docstring); nothing understood for stop words alone."""
    all_words = words(text)[:MAX_WORDS]
    question = [word for word in all_words if word not in STOP_WORDS]
    result = Understanding(text=text, words=question)
    if not question:
        return result
    matcher = Question(question)
    result.guide = guide_situations(request)
    result.situations = told_situations(result.guide.get("situations", []), matcher)
    result.situation = result.situations[0] if result.situations else None
    result.bodies, result.unregulated, other_score = _other_bodies(request, matcher)
    entry, length, is_title = _named_entry(request, all_words, language)
    # An occupation no order governs wins over a shorter name, and over a synonym or code of the same
    # length: « maître électricien » is the CMEQ, not the lawyer's « maître »; "cop" is not C.O.P.
    if entry is not None and (length > other_score or (length == other_score and is_title)):
        result.entry, result.bodies, result.unregulated = entry, [], []
    # A typo ("dentsite") only inside a question whose situation is understood: a lone misspelt word
    # keeps the search page's "did you mean".
    if result.entry is None and result.situation and not (result.bodies or result.unregulated):
        situation_words = {word for word in question if _in_phrases(word, result.situation["phrases"])}
        leftovers = [word for word in question if word not in situation_words and len(word) >= 5]
        result.entry = _typo_entry(leftovers[:MAX_TYPO_WORDS], language)
        result.typo = result.entry is not None
    return result


def _in_phrases(word: str, phrases: list[tuple[frozenset[str], ...]]) -> bool:
    single = Question([word])
    return any(single.has(wanted) for phrase in phrases for wanted in phrase)


def seriousness(situation: dict) -> int:
    """Where a situation comes in an answer: the most serious first (SERIOUSNESS), then the others."""
    key = situation["key"]
    return SERIOUSNESS.index(key) if key in SERIOUSNESS else len(SERIOUSNESS)


def told_situations(situations: list[dict], question: Question) -> list[dict]:
    """Every result step the question tells, the most serious first.

    A step counts when one of its phrases matches whole. The best-matching step (longest phrase, then
    most phrases) always counts; another counts only for a word of the question that none of the steps
    already counted mentions (« le syndic ne portera pas plainte » is the review, not also a complaint;
    « il me facture trop et a gardé mon argent » is a bill and money kept).
    """
    scored = []
    for situation in situations:
        scores = [question.score(phrase) for phrase in situation["phrases"]]
        best = max(scores, default=0)
        if best:
            matched = [phrase for phrase, score in zip(situation["phrases"], scores, strict=True) if score]
            scored.append(((best, len(matched)), situation, matched))
    scored.sort(key=lambda item: item[0], reverse=True)
    told: list[dict] = []
    mentioned: set[str] = set()
    for _key, situation, matched in scored:
        own = {word for word in question.words if _in_phrases(word, matched)}
        if told and own <= mentioned:
            continue
        told.append(situation)
        mentioned |= {word for word in question.words if _in_phrases(word, situation["phrases"])}
    return sorted(told, key=seriousness)


def _other_bodies(request, question: Question) -> tuple[list, list, int]:
    """The bodies and unregulated occupations whose words match best (ties all kept, in the editors' order)."""
    scored = []
    for kind, pk, phrases in _other_words(request):
        score = max((question.score(phrase) for phrase in phrases), default=0)
        if score:
            scored.append((score, kind, pk))
    if not scored:
        return [], [], 0
    top = max(score for score, _kind, _pk in scored)
    wanted = {kind: [pk for score, k, pk in scored if k == kind and score == top] for kind in ("body", "unregulated")}
    bodies = list(OtherBody.objects.filter(pk__in=wanted["body"], live=True)) if wanted["body"] else []
    unregulated = (
        list(UnregulatedOccupation.objects.filter(pk__in=wanted["unregulated"], live=True))
        if wanted["unregulated"]
        else []
    )
    return bodies, unregulated, top


_FORMS: dict[tuple, dict[str, tuple[str, ...]]] = {}  # (database, language, generation) → stem → words


def _name_forms(request, language: str) -> dict[str, tuple[str, ...]]:
    """The words of the names (search.SearchWord) by stem: "infirmieres" finds infirmiere and infirmier.

    Kept in the process until the next publish (a few thousand words, stemmed once).
    """
    alias = search_database().alias
    key = (alias, language, request_generation(request))
    table = _FORMS.get(key) if key[-1] is not None else None
    if table is None:
        found: dict[str, set[str]] = {}
        vocabulary = SearchWord.objects.using(alias).filter(language=language).values_list("word", flat=True)
        for word in vocabulary.iterator(chunk_size=5000):
            for stem in stems(word):
                found.setdefault(stem, set()).add(word)
        table = {stem: tuple(sorted(forms)) for stem, forms in found.items()}
        for old in [old for old in _FORMS if old[-1] != key[-1]]:  # an older generation's: stale
            del _FORMS[old]
        _FORMS[key] = table
    return table


def _forms(word: str, table: dict[str, tuple[str, ...]]) -> list[str]:
    """The word, then the names' words that share a stem with it."""
    return list(dict.fromkeys([word, *(form for stem in stems(word) for form in table.get(stem, ()))]))


def _candidates(request, all_words: list[str], language: str) -> dict[str, int]:
    """Every name the question could contain → its length in words (word n-grams with their forms)."""
    candidates: dict[str, int] = {}
    table = _name_forms(request, language)
    for size in range(1, min(MAX_NGRAM, len(all_words)) + 1):
        for start in range(len(all_words) - size + 1):
            gram = all_words[start : start + size]
            if gram[0] in STOP_WORDS or gram[-1] in STOP_WORDS:
                continue
            forms = [_forms(word, table) if word not in STOP_WORDS else [word] for word in gram]
            for combination in itertools.islice(itertools.product(*forms), 64):
                candidates[" ".join(combination)] = size
    for term, expansions in _synonyms(request):
        if term in candidates:
            for expansion in expansions:
                candidates.setdefault(expansion, candidates[term])
    return candidates


def _named(entries, names):
    """The entries with one of these names exactly (PostgreSQL: the index on the names' list)."""
    return entries.extra(where=["term_list && %s::text[]"], params=[list(names)])


def _named_entry(request, all_words: list[str], language: str) -> tuple[SearchEntry | None, int, bool]:
    """The profession or order whose name the question contains (longest name first, professions first),
    with the number of words of the name found and whether it is the entry's own title."""
    candidates = _candidates(request, all_words, language)
    if not candidates:
        return None, 0, False
    database = search_database()
    entries = SearchEntry.objects.using(database.alias).filter(language=language, kind__in=[PROFESSION, ORDER])
    if database.vendor == "postgresql":  # the index on the names; SQLite (local run) reads them all
        entries = _named(entries, candidates)
    ranked = []  # the names only, then the one entry chosen
    for pk, kind, norm_title, names in entries.values_list("pk", "kind", "norm_title", "terms"):
        terms = [term for term in names.strip("|").split("|") if term in candidates]
        if terms:
            longest = max(candidates[term] for term in terms)
            ranked.append((-longest, norm_title not in terms, kind != PROFESSION, len(norm_title), pk))
    if not ranked:
        return None, 0, False
    best = min(ranked)
    return SearchEntry.objects.using(database.alias).get(pk=best[-1]), -best[0], not best[1]


def _typo_entry(leftovers: list[str], language: str) -> SearchEntry | None:
    """A profession whose name is genuinely close to a word of the question ("dentsite"), else None."""
    if not leftovers:
        return None
    database = search_database()
    entries = SearchEntry.objects.using(database.alias).filter(language=language, kind=PROFESSION)
    if database.vendor == "postgresql":
        # The professions named by one of the words' closest known words (search.query.closest_words).
        with hinted_cursor(database) as cursor:
            names = sorted({name for words in closest_words(cursor, leftovers, language) for name in words})
        if not names:
            return None
        entries = _named(entries, names)
    best, best_ratio = None, TYPO_RATIO
    for (pk, norm_title, terms), word in itertools.product(entries.values_list("pk", "norm_title", "terms"), leftovers):
        # Whole names only: "public" is no typo for "notary public".
        ratio = closeness(word, terms.strip("|").split("|"), best_ratio)
        if ratio > best_ratio or (ratio == best_ratio and best is not None and len(norm_title) < len(best[1])):
            best, best_ratio = (pk, norm_title), ratio
    return SearchEntry.objects.using(database.alias).get(pk=best[0]) if best else None
