"""Helpers shared by the production tests."""

from wagtail.models import Page

from home.loaders import publish


def add_child_page(parent: Page, fr: str, en: str, show_in_menus: bool = True) -> Page:
    """Publish a plain bilingual page under parent (its French/English title and slug from fr/en)."""
    page = Page(
        title_fr=fr.capitalize(),
        title_en=en.capitalize(),
        slug_fr=fr,
        slug_en=en,
        show_in_menus=show_in_menus,
    )
    parent.add_child(instance=page)
    publish(page)
    return page
