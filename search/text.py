"""Search-only text helpers: highlighting (words that start like a query word, search.words.prefix).

The accent-free words and phrases the index and the queries compare come from home.language.
"""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from home.language import WORD_RE, normalize
from search.words import prefix


def highlight(text: str, query_words: list[str]) -> SafeString:
    """Escape text and wrap in <mark> the words that start like a query word (accents ignored)."""
    stems = [prefix(word) for word in query_words if len(word) >= 2]
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
