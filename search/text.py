"""Text helpers shared by the index and the queries: accent-free words, stems, highlighting."""

import re
import unicodedata

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WORD_RE = re.compile(r"[^\W_]+")
LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ß": "ss"})
# Abbreviations are written with or without dots ("P.Eng." = "PEng"); dots never split words.
DOTS_RE = re.compile(r"(?<=\w)\.(?=\w)")
VES_PLURALS = (("ives", "ife"), ("lves", "lf"))


def unaccent(text: str) -> str:
    """Lower-case text without accents: "Ingénieure" → "ingenieure"."""
    decomposed = unicodedata.normalize("NFKD", (text or "").casefold().translate(LIGATURES))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def words(text: str) -> list[str]:
    """Accent-free words; hyphens and apostrophes separate words ("sage-femme" → sage, femme)."""
    return WORD_RE.findall(DOTS_RE.sub("", unaccent(text)))


def normalize(text: str) -> str:
    """The comparable form of a phrase: "Sage-femme" and "sage femme" both give "sage femme"."""
    return " ".join(words(text))


def singular(phrase: str) -> str:
    """The phrase with English plurals in -ves made singular: "midwives" → "midwife", "shelves" → "shelf".

    The English stemmer keeps them apart ("midwives" → midwiv, "midwife" → midwif), so the query also
    searches the singular. A French word that happens to end so ("archives") gains a harmless variant.
    """
    words = []
    for word in phrase.split():
        for plural, one in VES_PLURALS:
            if word.endswith(plural) and len(word) > len(plural):
                word = word[: -len(plural)] + one
                break
        words.append(word)
    return " ".join(words)


def stem(word: str) -> str:
    """A crude French/English plural and feminine stripper for the SQLite fallback and highlighting."""
    for suffix in ("es", "s", "e"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            word = word[: -len(suffix)]
    return word


def highlight(text: str, query_words: list[str]) -> SafeString:
    """Escape text and wrap in <mark> the words that start like a query word (accents ignored)."""
    stems = [stem(word) for word in query_words if len(word) >= 2]
    if not text:
        return mark_safe("")
    pieces = []
    position = 0
    for match in WORD_RE.finditer(text):
        word = normalize(match.group())
        if stems and any(word.startswith(item) for item in stems):
            pieces.append(escape(text[position : match.start()]))
            pieces.append(f"<mark>{escape(match.group())}</mark>")
            position = match.end()
    pieces.append(escape(text[position:]))
    return mark_safe("".join(pieces))  # noqa: S308 - every piece is escaped above
