"""Keep the search index in step with publishing (connected in SearchConfig.ready)."""

from wagtail.signals import page_published, page_unpublished, post_page_move

from search.indexing import index_subtree


def reindex_published(sender, instance, **kwargs) -> None:
    index_subtree(instance)


def reindex_moved(sender, instance, **kwargs) -> None:
    if kwargs.get("url_path_before") != kwargs.get("url_path_after"):
        index_subtree(instance)


def connect() -> None:
    page_published.connect(reindex_published, dispatch_uid="search-index-published")
    page_unpublished.connect(reindex_published, dispatch_uid="search-index-unpublished")
    post_page_move.connect(reindex_moved, dispatch_uid="search-index-moved")
