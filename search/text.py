"""Search-only text helpers: English plurals in -ves, a crude stemmer, and highlighting.

The accent-free words and phrases the index and the queries compare come from home.language.
"""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from home.language import WORD_RE, normalize

VES_PLURALS = (("ives", "ife"), ("lves", "lf"))


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
