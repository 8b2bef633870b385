"""Understand what people type: « plainte contre mon dentiste », "my accountant overcharged me".

One function, `understand(text, request)`, used by the search page, the autocomplete and the guide's
box. It finds, in either language whatever the site's language:
- the **profession or order** named anywhere in the question: exact names, reserved titles,
  abbreviations, acronyms, the other language's names and the editors' synonyms (all in the search
  entries' `terms`), with plural and feminine endings dropped ("infirmières", "avocate"), then typos
  ("dentsite") when nothing matched exactly;
- the **situation**: the guide's result step whose words (editors write them on each result step:
  « facture, honoraires, trop cher ») best match the question;
- **occupations no order governs**: the bodies that are not orders (« courtier immobilier » → OACIQ)
  and the occupations that no public body regulates (massage therapists).
Filler words (« mon », « contre », "my", "how to"…) are dropped first. The words of the guide, of the
bodies and of the synonyms are cached until the next publish; a profession is one indexed query on
PostgreSQL (the entries' `term_list`), a scan of the names on SQLite (the local run).
"""

import itertools
from dataclasses import dataclass, field

from home.language import words
from home.public import public_pages
from ops.cache import cached_fragment, shared_value
from protection.bodies import OtherBody, UnregulatedOccupation
from protection.models import GuidePage
from search.models import ORDER, PROFESSION, SearchEntry
from search.query import closeness, closest_words, hinted_cursor, search_database, synonyms

# Words that say nothing about the professional or the situation (French, then English).
FILLER_WORDS = frozenset(
    " ".join(
        (
            "a à ai as au aux avec c ca ce ces cet cette contre d dans de des du elle elles en est et etc il ils",
            "j je l la le les leur leurs lui m ma me mes moi mon n ne nos notre nous on ou par peut pour qu que",
            "quel quelle quelles quels qui quoi s sa se ses si son suis sur t ta te tes toi ton tu un une vos",
            "votre vous y comment faire fait veux voudrais dois puis peux aide besoin svp chez cela quand ont",
            "sont etait avoir etre",
            "about against am an and any are as at be been but by can could did do does for from get got had has",
            "have he her him his how i if in into is it its me my of on or our please she should so that the",
            "their them they this to want was we were what when where which who why will with would you your",
            "yours need help",
        )
    ).split()
)
MAX_NGRAM = 6
TYPO_RATIO = 0.8  # "dentsite" → dentiste 0.875; "mecanicien" is far from every name
MAX_TYPO_WORDS = 3


def root(word: str) -> str:
    """A word without its plural, feminine or English verb ending: "facturés" → factur, "billed" → bill."""
    for suffix in ("ing", "ed", "es", "s", "x", "e"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def variants(word: str) -> set[str]:
    """Forms a name may take in the directory: "infirmieres" → infirmiere, "avocate" → avocat."""
    forms = {word}
    for suffix, replacement in (
        ("s", ""),
        ("x", ""),
        ("es", ""),
        ("e", ""),
        ("ne", ""),
        ("nes", ""),
        ("ves", "fe"),
        ("ves", "f"),
    ):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            forms.add(word[: -len(suffix)] + replacement)
    for form in list(forms):
        if form.endswith("e") and len(form) > 4:
            forms.add(form[:-1])
    return forms


def content_words(text: str) -> list[str]:
    return [word for word in words(text) if word not in FILLER_WORDS]


def phrase_roots(phrase: str) -> tuple[str, ...]:
    return tuple(root(word) for word in content_words(phrase))


class Question:
    """The content words of a question, ready to be matched against many phrases' roots."""

    def __init__(self, question: list[str]):
        self.words = question
        self.roots = {root(word) for word in question}
        self._found: dict[str, bool] = {}

    def has(self, wanted: str) -> bool:
        """A question word matches a phrase word by its root, or by prefix for long roots ("facturation")."""
        found = self._found.get(wanted)
        if found is None:
            found = wanted in self.roots or (len(wanted) >= 5 and any(word.startswith(wanted) for word in self.words))
            self._found[wanted] = found
        return found

    def score(self, roots: tuple[str, ...]) -> int:
        """How many words the phrase matches (all of them, in any order), else 0."""
        return len(roots) if roots and all(self.has(wanted) for wanted in roots) else 0


def split_words(text: str) -> list[str]:
    """Comma- or line-separated words and phrases, as editors write them."""
    return [item.strip() for item in (text or "").replace("\n", ",").split(",") if item.strip()]


# --- What the site knows, cached until the next publish ---------------------------------------------


def guide_situations(request) -> dict:
    """The guide's URL (active language) and its result steps with their words; empty without a public guide."""

    def build():
        guide = public_pages(GuidePage.objects.all()).first()
        if guide is None:
            return {}
        situations = []
        for block in guide.steps:
            if block.block_type != "result":
                continue
            value = block.value
            phrases = [phrase_roots(item) for lang in ("fr", "en") for item in split_words(value.get(f"words_{lang}"))]
            situations.append(
                {
                    "key": value["key"],
                    "phrases": [phrase for phrase in phrases if phrase],
                    "find_order": bool(value["find_order"]),
                    **{
                        f"{name}_{lang}": value.get(f"{name}_{lang}") or ""
                        for name in ("short", "title", "text")
                        for lang in ("fr", "en")
                    },
                    "pages": [page.pk for page in value["pages"] if page is not None],
                }
            )
        return {"url": guide.get_url(request), "page_id": guide.pk, "situations": situations}

    return cached_fragment("guide-situations", request, build=build)


def _other_words(request) -> list[tuple[str, int, list[tuple[str, ...]]]]:
    """(model, pk, phrases) for every body that is not an order and every unregulated occupation."""

    def build():
        rows = []
        for model, name in ((OtherBody, "body"), (UnregulatedOccupation, "unregulated")):
            for item in model.objects.filter(live=True):
                rows.append((name, item.pk, [roots for roots in map(phrase_roots, item.search_words()) if roots]))
        return rows

    return shared_value("understanding-other-bodies", build, request)


def _synonyms(request) -> list[tuple[str, list[str]]]:
    """The editors' synonyms of both languages: (normalized term, normalized expansions)."""
    return [pair for language in ("fr", "en") for pair in synonyms(language, request).items()]


# --- Understanding ------------------------------------------------------------------------------------


@dataclass
class Understanding:
    text: str
    words: list[str] = field(default_factory=list)  # content words (no filler)
    entry: SearchEntry | None = None  # the profession or order named
    typo: bool = False  # the entry was found by a typo match
    situation: dict | None = None  # a result step of the guide (see guide_situations)
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
    """What the question is about (see the module docstring); nothing understood for filler alone."""
    all_words = words(text)[:40]
    question = [word for word in all_words if word not in FILLER_WORDS]
    result = Understanding(text=text, words=question)
    if not question:
        return result
    matcher = Question(question)
    result.guide = guide_situations(request)
    result.situation = _best_situation(result.guide.get("situations", []), matcher)
    result.bodies, result.unregulated, other_score = _other_bodies(request, matcher)
    entry, length, is_title = _named_entry(request, all_words, language)
    # An occupation no order governs wins over a shorter name, and over a synonym or code of the same
    # length: « maître électricien » is the CMEQ, not the lawyer's « maître »; "cop" is not C.O.P.
    if entry is not None and (length > other_score or (length == other_score and is_title)):
        result.entry, result.bodies, result.unregulated = entry, [], []
    # A typo ("dentsite") only inside a question whose situation is understood: a lone misspelt word
    # keeps the search page's "did you mean".
    if result.entry is None and result.situation and not (result.bodies or result.unregulated):
        situation_words = {word for word in question if _in_phrases(word, result.situation)}
        leftovers = [word for word in question if word not in situation_words and len(word) >= 5]
        result.entry = _typo_entry(leftovers[:MAX_TYPO_WORDS], language)
        result.typo = result.entry is not None
    return result


def _in_phrases(word: str, situation: dict) -> bool:
    single = Question([word])
    return any(single.has(wanted) for phrase in situation["phrases"] for wanted in phrase)


def _best_situation(situations: list[dict], question: Question) -> dict | None:
    """The result step whose longest matching phrase is longest, then with the most matching phrases."""
    best, best_key = None, (0, 0)
    for situation in situations:
        scores = [question.score(phrase) for phrase in situation["phrases"]]
        key = (max(scores, default=0), sum(1 for score in scores if score))
        if key > best_key:
            best, best_key = situation, key
    return best


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


def _candidates(request, all_words: list[str]) -> dict[str, int]:
    """Every name the question could contain → its length in words (word n-grams with their variants)."""
    candidates: dict[str, int] = {}
    for size in range(1, min(MAX_NGRAM, len(all_words)) + 1):
        for start in range(len(all_words) - size + 1):
            gram = all_words[start : start + size]
            if gram[0] in FILLER_WORDS or gram[-1] in FILLER_WORDS:
                continue
            forms = [variants(word) if word not in FILLER_WORDS else {word} for word in gram]
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
    candidates = _candidates(request, all_words)
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
