"""Keep the search index in step with publishing and privacy (connected in SearchConfig.ready)."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from search.indexing import index_subtree
from search.models import SearchEntry


def reindex_published(sender, instance, **kwargs) -> None:
    index_subtree(instance)


def unindex_unpublished(sender, instance, **kwargs) -> None:
    # Only the page itself: its descendants keep their entries (Wagtail still serves them), and
    # nothing is inserted here, because a page deletion unpublishes before deleting the subtree.
    SearchEntry.objects.filter(page_id=instance.pk).delete()


def reindex_moved(sender, instance, **kwargs) -> None:
    if kwargs.get("url_path_before") != kwargs.get("url_path_after"):
        index_subtree(instance)


def unindex_restricted(sender, instance, raw=False, **kwargs) -> None:
    """A password, login or group restriction hides the page and its subtree from search at once."""
    if not raw:
        index_subtree(instance.page)


def reindex_unrestricted(sender, instance, **kwargs) -> None:
    """A removed restriction makes the subtree searchable again (unless another one still applies).

    After the commit: a restriction is also deleted when its page is, and the page must not be
    indexed again in the middle of its own deletion.
    """
    page_id = instance.page_id

    def reindex():
        page = Page.objects.filter(pk=page_id).first()
        if page is not None:
            index_subtree(page)

    transaction.on_commit(reindex, robust=True)


def connect() -> None:
    post_save.connect(unindex_restricted, sender=PageViewRestriction, dispatch_uid="search-index-restricted")
    post_delete.connect(reindex_unrestricted, sender=PageViewRestriction, dispatch_uid="search-index-unrestricted")
    page_published.connect(reindex_published, dispatch_uid="search-index-published")
    page_unpublished.connect(unindex_unpublished, dispatch_uid="search-index-unpublished")
    post_page_move.connect(reindex_moved, dispatch_uid="search-index-moved")
