"""Keep the search index in step with publishing (connected in SearchConfig.ready)."""

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


def connect() -> None:
    page_published.connect(reindex_published, dispatch_uid="search-index-published")
    page_unpublished.connect(unindex_unpublished, dispatch_uid="search-index-unpublished")
    post_page_move.connect(reindex_moved, dispatch_uid="search-index-moved")
