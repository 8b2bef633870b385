"""The directory: Québec's professional orders and the professions they govern, as a page tree.

OrderIndexPage → OrderPage (one per *ordre professionnel*) → ProfessionPage; a ProfessionIndexPage
lists every profession A–Z. Sectors are a small translatable snippet.
"""

from professions.models.indexes import LETTERS, OrderIndexPage, ProfessionIndexPage
from professions.models.mixins import DirectoryPageMixin
from professions.models.pages import OrderPage, ProfessionPage
from professions.models.practice import (
    EXCLUSIVE,
    MEMBER_QUALIFIERS,
    PRACTICE_CHOICES,
    RESERVED_TITLE,
    practice_meaning,
)
from professions.models.querysets import OrderPageQuerySet, ProfessionPageQuerySet
from professions.models.snippets import Sector

__all__ = [
    "EXCLUSIVE",
    "LETTERS",
    "MEMBER_QUALIFIERS",
    "PRACTICE_CHOICES",
    "RESERVED_TITLE",
    "DirectoryPageMixin",
    "OrderIndexPage",
    "OrderPage",
    "OrderPageQuerySet",
    "ProfessionIndexPage",
    "ProfessionPage",
    "ProfessionPageQuerySet",
    "Sector",
    "practice_meaning",
]
