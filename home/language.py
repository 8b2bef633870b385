"""Language helpers every app uses: the active language (French when none), a translated value from a
row or a block, every language's columns, and text folded for sorting and comparing.

Plain functions of Django's settings and the text given, no models: any app may import them.
"""

import re
import unicodedata
from collections.abc import Mapping

from django.conf import settings
from django.utils import translation
from django.utils.html import strip_tags

WORD_RE = re.compile(r"[^\W_]+")
LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ß": "ss"})
# Abbreviations are written with or without dots ("P.Eng." = "PEng"); dots never split words.
DOTS_RE = re.compile(r"(?<=\w)\.(?=\w)")
PUNCTUATION_RE = re.compile(r"[^\w\s]+")
SPACES_RE = re.compile(r"\s+")


def active_language() -> str:
    """The active language's code, French (LANGUAGE_CODE) outside a request or an override."""
    return translation.get_language() or settings.LANGUAGE_CODE


def translated_columns(*fields: str) -> list[str]:
    """Every language's column of each translated field: ("title",) → ["title_fr", "title_en"]."""
    return [f"{name}_{code}" for name in fields for code, _label in settings.LANGUAGES]


def localized(values, field: str, language: str | None = None) -> str:
    """`field` in the active language (or `language`), French when missing, "" when neither is set.

    `values` is a mapping with a key per language (a .values() row, a guide block's StructValue) or an
    object with an attribute per language (a page).
    """
    language = language or active_language()
    return _member(values, f"{field}_{language}") or _member(values, f"{field}_{settings.LANGUAGE_CODE}") or ""


def _member(values, name: str):
    return values.get(name) if isinstance(values, Mapping) else getattr(values, name, None)


def _without_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def unaccent(text: str) -> str:
    """Lower-case text without accents or ligatures: "Ingénieure" → "ingenieure", "Œuvre" → "oeuvre"."""
    return _without_accents((text or "").casefold().translate(LIGATURES))


def sort_key(text: str) -> str:
    """Accent- and case-insensitive key: "Éducateur" sorts with "educateur".

    Unlike `unaccent` it keeps œ and æ (and folds case after the accents), as the A–Z listings
    always have; folding them too would change which letter a name is listed under.
    """
    return _without_accents(text or "").casefold()


def initial_of(text: str) -> str:
    """The A–Z letter a name is indexed under ("Évaluateur" → "E")."""
    key = sort_key(text).lstrip()
    return key[:1].upper() if key[:1].isalpha() else "#"


def words(text: str) -> list[str]:
    """Accent-free words; hyphens and apostrophes separate words ("sage-femme" → sage, femme)."""
    return WORD_RE.findall(DOTS_RE.sub("", unaccent(text)))


def normalize(text: str) -> str:
    """The comparable form of a phrase for search: "Sage-femme" and "sage femme" both give "sage femme"."""
    return " ".join(words(text))


def normalize_markup(text: str) -> str:
    """The words of a text, lower case, without markup or punctuation: what translation memory compares.

    Unlike `normalize` it keeps accents, ligatures and underscores and splits "P.Eng.": memory entries
    are stored under a hash of this form, so changing it would orphan them.
    """
    text = unicodedata.normalize("NFC", strip_tags(text or "")).lower()
    return SPACES_RE.sub(" ", PUNCTUATION_RE.sub(" ", text)).strip()
