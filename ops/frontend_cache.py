"""Purge the CDN (wagtail.contrib.frontend_cache backends) in both languages on publish.

Wagtail's own handlers purge the URL of the active language only, so the app is not installed;
these handlers purge the page and its ancestors (the index and listing pages that show it) under
every language's URL, e.g. /fr/ordres/… and /en/orders/…. A view restriction added or removed
purges the whole subtree it covers as well, once committed: a shared cache must not keep serving
a page that just became private.
"""

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_delete
from django.utils import translation

from wagtail.contrib.frontend_cache.utils import purge_urls_from_cache
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move


def affected_pages(page: Page) -> list[Page]:
    """The page and its ancestors below the tree root, as specific pages."""
    ancestors = page.get_ancestors(inclusive=False).filter(depth__gt=1).specific(defer=True)
    return [page.specific_deferred, *ancestors]


def urls_in_every_language(pages: list[Page]) -> list[str]:
    """Each page's full URL (and its extra cached paths) under every language."""
    urls: list[str] = []
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for page in pages:
                base = page.get_full_url()
                if base is None:
                    continue
                for path in page.get_cached_paths():
                    url = base + path.lstrip("/")
                    if url not in urls:
                        urls.append(url)
    return urls


def purge_page(page: Page) -> None:
    if settings.WAGTAILFRONTENDCACHE:
        purge_urls_from_cache(urls_in_every_language(affected_pages(page)))


def _on_page_changed(sender, instance, **kwargs) -> None:
    purge_page(instance)


def _on_page_moved(sender, instance, parent_page_before=None, **kwargs) -> None:
    purge_page(instance)
    if parent_page_before is not None:
        purge_page(parent_page_before)


def _on_page_deleted(sender, instance, **kwargs) -> None:
    # pre_delete, while the page still has its URLs. Deleting any page (and each descendant)
    # deletes a base Page row, so reacting to that one alone purges each page once.
    if type(instance) is Page:
        purge_page(instance)


def _on_restriction_changed(sender, instance, raw=False, **kwargs) -> None:
    if raw or not settings.WAGTAILFRONTENDCACHE:
        return
    page_id = instance.page_id

    def purge_subtree() -> None:
        page = Page.objects.filter(pk=page_id).first()
        if page is not None:
            subtree = list(page.get_descendants().specific(defer=True))
            purge_urls_from_cache(urls_in_every_language([*affected_pages(page), *subtree]))

    transaction.on_commit(purge_subtree, robust=True)


def connect_signals() -> None:
    page_published.connect(_on_page_changed, dispatch_uid="ops_cdn_published")
    page_unpublished.connect(_on_page_changed, dispatch_uid="ops_cdn_unpublished")
    post_page_move.connect(_on_page_moved, dispatch_uid="ops_cdn_moved")
    pre_delete.connect(_on_page_deleted, dispatch_uid="ops_cdn_deleted")
    post_save.connect(_on_restriction_changed, sender=PageViewRestriction, dispatch_uid="ops_cdn_restricted")
    post_delete.connect(_on_restriction_changed, sender=PageViewRestriction, dispatch_uid="ops_cdn_unrestricted")
