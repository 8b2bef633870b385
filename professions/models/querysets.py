"""The directory's querysets: each listing's one method that declares what it reads."""

from wagtail.models import PageQuerySet

from home.language import translated_columns


class OrderPageQuerySet(PageQuerySet):
    def for_directory(self) -> "OrderPageQuerySet":
        """Live orders with their sector, ready for a listing (no body fields)."""
        return self.live().select_related("sector").defer_streamfields()

    def card_rows(self):
        """Live orders as plain rows with just what a directory card shows (no model instances)."""
        return self.live().values(
            "path", "acronym", "practice", "sector_id", *translated_columns("title", "slug", "gloss", "sort_name")
        )


class ProfessionPageQuerySet(PageQuerySet):
    def for_directory(self) -> "ProfessionPageQuerySet":
        """Live professions without their body fields, ready for a listing."""
        return self.live().defer_streamfields()

    def card_rows(self):
        """Live professions as plain rows: path, title and slug in every language."""
        return self.live().order_by("path").values("path", *translated_columns("title", "slug"))
