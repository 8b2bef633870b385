"""Words as search compares them: stems, stop words and closeness, from maintained libraries.

- **Stems**: the Snowball stemmers (`snowballstemmer`), the same French and English algorithms as
  PostgreSQL's `french` and `english` text search configurations, applied like them to accent-free
  words (`french_unaccent` unaccents, then stems). So "blessé", "blesser" and "blessée" share the
  stem *bless*, "touched" and "touching" *touch*, and the SQLite path agrees with PostgreSQL. A word
  is stemmed in both languages (people mix them); two words match when a stem is shared.
- **Prefixes** for "starts like" matching (autocomplete, highlighting, the SQLite fallback): the word
  cut to what its stems have in common with it ("infirmières" → infirmi, "therapy" → therap).
- **Stop words**: the `stop-words` package's French and English lists plus ours, minus the words that
  carry meaning here ("bill", "kept", "member", "trop", "vol"…; the editors' words keep them).
- **Closeness** of a typed word and a name: `rapidfuzz`'s normalized Indel similarity, the same
  figure as difflib's ratio on the names here ("dentsite"/dentiste 0.875) and about 60 times faster.
- **Singular** of English plurals in -ves ("midwives" → midwife): the one case Snowball's English
  stemmer keeps apart (midwiv/midwif).

Plain functions of the text given, no models.
"""

import functools
import os

import snowballstemmer
from rapidfuzz.distance import Indel
from stop_words import get_stop_words

from home.language import unaccent, words

_STEMMERS = {"fr": snowballstemmer.stemmer("french"), "en": snowballstemmer.stemmer("english")}

# Our own filler: Québec French and the way people ask ("svp", "how to"), beyond the lists.
OUR_STOP_WORDS = frozenset(
    [
        "svp",
        "stp",
        "aide",
        "besoin",
        "voudrais",
        "veux",
        "etait",
        "ont",
        "etc",
        "quoi",
        "toi",
        "t",
        "faire",
        "fait",
        "etre",
        "avoir",
        "comment",
        "dois",
        "peux",
        "puis",
        "veux",
        "chez",
        "cela",
        "quand",
        "sont",
        "please",
        "help",
        "need",
        "want",
        "would",
        "could",
        "should",
        "how",
        "can",
        "get",
        "got",
    ]
)
# Words of the maintained lists that mean something here: a bill, money kept, a member, too much…
MEANINGFUL = frozenset(
    [
        "bill",
        "car",
        "early",
        "general",
        "group",
        "home",
        "kept",
        "long",
        "member",
        "members",
        "much",
        "non",
        "not",
        "off",
        "order",
        "orders",
        "pas",
        "personnes",
        "pl",
        "room",
        "sans",
        "too",
        "trop",
        "used",
        "vol",
        "work",
        "without",
    ]
)
STOP_WORDS = (
    frozenset(
        {unaccent(word).replace("'", "") for language in ("fr", "en") for word in get_stop_words(language)}
        | OUR_STOP_WORDS
    )
    - MEANINGFUL
)


@functools.lru_cache(maxsize=16384)
def stems(word: str, language: str = "") -> frozenset[str]:
    """The Snowball stems of an accent-free word: of that language, or of both ("blesse" → {bless, blesse})
    for a question, whose language is unknown. An editor's phrase is stemmed in its own language only, so
    "trained" (train) is no "trainer" although the French stemmer makes that one train too."""
    chosen = [_STEMMERS[language]] if language else _STEMMERS.values()
    return frozenset(stemmer.stemWord(word) for stemmer in chosen)


@functools.lru_cache(maxsize=16384)
def prefix(word: str) -> str:
    """The start of a word shared with its stems: "infirmieres" → infirmi, "nurses" → nurs, "psy" → psy."""
    start = os.path.commonprefix([word, *stems(word)])
    return start if len(start) >= 3 else word


def content_words(text: str) -> list[str]:
    """The accent-free words of a text without stop words."""
    return [word for word in words(text) if word not in STOP_WORDS]


def phrase_stems(phrase: str, language: str) -> tuple[frozenset[str], ...]:
    """Each content word of an editor's phrase as its stems in the phrase's language: what a question's
    words are matched against."""
    return tuple(stems(word, language) for word in content_words(phrase))


VES_PLURALS = (("ives", "ife"), ("lves", "lf"))


def singular(phrase: str) -> str:
    """The phrase with English plurals in -ves made singular: "midwives" → "midwife", "shelves" → "shelf".

    A French word that happens to end so ("archives") gains a harmless variant.
    """
    result = []
    for word in phrase.split():
        for plural, one in VES_PLURALS:
            if word.endswith(plural) and len(word) > len(plural):
                word = word[: -len(plural)] + one
                break
        result.append(word)
    return " ".join(result)


@functools.lru_cache(maxsize=8192)
def ratio(phrase: str, name: str) -> float:
    """How alike two phrases are, 0 to 1 (rapidfuzz's normalized Indel similarity)."""
    return Indel.normalized_similarity(phrase, name)


def closeness(phrase: str, names: list[str], floor: float) -> float:
    """How close the typed phrase is to the closest of the names (1 = the same), or 0 when none reaches
    floor. Names too long or too short to reach it are skipped before comparing."""
    best = 0.0
    for name in names:
        if 2 * min(len(phrase), len(name)) >= max(floor, best) * (len(phrase) + len(name)):
            best = max(best, ratio(phrase, name))
    return best if best >= floor else 0.0
