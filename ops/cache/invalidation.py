"""What bumps the generation: the saves and deletes that change what visitors see."""

from django.db.models.signals import post_delete, post_save

from wagtail.contrib.settings.models import BaseGenericSetting, BaseSiteSetting
from wagtail.documents.models import AbstractDocument
from wagtail.images.models import AbstractImage
from wagtail.models import Page, Site
from wagtail.models.view_restrictions import BaseViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from ops.cache.generation import invalidate

# Saves that only record a new draft revision change nothing a visitor sees.
DRAFT_ONLY_FIELDS = {
    "draft_title",
    "latest_revision",
    "latest_revision_created_at",
    "has_unpublished_changes",
    "locked",
    "locked_at",
    "locked_by",
}


# Snippets and other models whose saves and deletes change what visitors see. Saves of models not
# listed here never touch the cache: above all blog comments, which any visitor can post (spam
# included); moderation refreshes the cache itself (blog.models.comments). A test checks that every
# registered snippet is either listed here or in NOT_PUBLIC_CONTENT_MODELS.
PUBLIC_CONTENT_MODELS = frozenset(
    {
        "professions.Sector",
        "protection.OtherBody",
        "protection.UnregulatedOccupation",
        "search.SearchSynonym",
        "blog.BlogAuthor",
        "blog.BlogCategory",
        "blog.BlogTag",
        "wagtailsearchpromotions.SearchPromotion",
    }
)
NOT_PUBLIC_CONTENT_MODELS = frozenset({"blog.Comment"})


def _is_public_content(instance) -> bool:
    return instance._meta.label in PUBLIC_CONTENT_MODELS or isinstance(
        instance,
        Page | Site | BaseViewRestriction | BaseSiteSetting | BaseGenericSetting | AbstractImage | AbstractDocument,
    )


def _on_save(sender, instance, update_fields=None, raw=False, created=False, **kwargs) -> None:
    if raw or not _is_public_content(instance):
        return
    if created and isinstance(instance, BaseSiteSetting | BaseGenericSetting):
        # Settings rows are created on first read (for_request) with their defaults: nothing changed.
        return
    if isinstance(instance, Page) and update_fields and set(update_fields) <= DRAFT_ONLY_FIELDS:
        return
    invalidate()


def _on_delete(sender, instance, **kwargs) -> None:
    if _is_public_content(instance):
        invalidate()


def _on_page_event(sender, **kwargs) -> None:
    invalidate()


def connect_signals() -> None:
    page_published.connect(_on_page_event, dispatch_uid="ops_cache_published")
    page_unpublished.connect(_on_page_event, dispatch_uid="ops_cache_unpublished")
    post_page_move.connect(_on_page_event, dispatch_uid="ops_cache_moved")
    post_save.connect(_on_save, dispatch_uid="ops_cache_saved")
    post_delete.connect(_on_delete, dispatch_uid="ops_cache_deleted")
