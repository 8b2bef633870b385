"""What "public" means for a page, in one place: every listing, link, feed and export asks here.

A page is public when it is live (Wagtail's `publish_scheduled` unpublishes a page once it
expires, so live also means not expired) and no view restriction — password, login or groups —
is set on it or on any of its ancestors. A private page's URL answers Wagtail's password or login
form, and nothing public names it: no listing, feed, export, sitemap, menu, search result or answer.

The restriction lookups are Wagtail's own (`PageQuerySet.public()`, `Page.get_view_restrictions()`),
skipped while no page of the site is private (ops.cache.any_page_view_restriction, the same flag
home.models.PublicPageMixin uses): a listing pays one extra query only when some page is private,
never one per item. Pages chosen in blocks go through public_among; rich-text links through
PublicPageLinkHandler (registered in home.wagtail_hooks).
"""

from collections.abc import Iterable

from wagtail.models import Page
from wagtail.query import PageQuerySet
from wagtail.rich_text.pages import PageLinkHandler

from ops.cache import any_page_view_restriction


def public_pages(queryset: PageQuerySet) -> PageQuerySet:
    """The live pages of queryset without a view restriction on themselves or an ancestor."""
    queryset = queryset.live()
    return queryset.public() if any_page_view_restriction() else queryset


def is_public(page: Page, *, trust_cache: bool = True) -> bool:
    """Whether this one page is public.

    trust_cache=False asks the database even while the cached flag says no page is private: for
    the signal handlers that run while a restriction is being saved, before the cache hears of it.
    """
    if not page.live:
        return False
    if trust_cache and not any_page_view_restriction():
        return True
    return not Page.get_view_restrictions(page).exists()


def public_among(pages: Iterable[Page | None]) -> list[Page]:
    """The public pages among these (chosen in a block, say), in their order; at most one query."""
    pages = [page for page in pages if page is not None and page.live]
    if not pages or not any_page_view_restriction():
        return pages
    allowed = set(public_pages(Page.objects.filter(pk__in=[page.pk for page in pages])).values_list("pk", flat=True))
    return [page for page in pages if page.pk in allowed]


class PublicPageLinkHandler(PageLinkHandler):
    """Rich-text links to pages: a link to a page that is not public keeps its words, not its address."""

    @classmethod
    def get_many(cls, attrs_list: list[dict]) -> list[Page | None]:
        pages = super().get_many(attrs_list)
        public = {page.pk for page in public_among(pages)}
        return [page if page is not None and page.pk in public else None for page in pages]
