"""The directory's querysets: each listing's one method that declares what it reads."""

from wagtail.models import PageQuerySet

from home.language import translated_columns
from home.public import public_pages


class OrderPageQuerySet(PageQuerySet):
    def for_directory(self) -> "OrderPageQuerySet":
        """Public orders with their sector, ready for a listing (no body fields)."""
        return public_pages(self).select_related("sector").defer_streamfields()

    def card_rows(self):
        """Public orders as plain rows with just what a directory card shows (no model instances)."""
        return public_pages(self).values(
            "path", "acronym", "practice", "sector_id", *translated_columns("title", "slug", "gloss", "sort_name")
        )


class ProfessionPageQuerySet(PageQuerySet):
    def for_directory(self) -> "ProfessionPageQuerySet":
        """Public professions without their body fields, ready for a listing."""
        return public_pages(self).defer_streamfields()

    def card_rows(self):
        """Public professions as plain rows: path, title and slug in every language."""
        return public_pages(self).order_by("path").values("path", *translated_columns("title", "slug"))
