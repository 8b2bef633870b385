"""What follows a check or an editor's decision: fresh public pages, and the one-click "use the new address"."""

from django.conf import settings
from django.db import models

from wagtail.models import Page

from links.sources import LinkField, link_uses, replace_url, urls_in
from ops.cache import invalidate
from ops.frontend_cache import purge_page

DRAFT = "draft"
PUBLISHED = "published"
SAVED = "saved"
UNCHANGED = "unchanged"


def refresh_public_pages(urls: list[str]) -> list[str]:
    """Addresses became shown or hidden: refresh the pages whose deep links they are.

    Only fields a page shows once checked (a model's `checked_link_fields`, e.g. an order's register
    and syndic pages) change what visitors see; cached pages then go stale at once and the CDN drops
    the pages concerned. Returns the addresses that did.
    """
    changed = set(urls)
    uses = [
        use
        for use in link_uses()
        if use.url in changed and use.field.base in getattr(use.model, "checked_link_fields", ())
    ]
    if not uses:
        return []
    invalidate()
    if settings.WAGTAILFRONTENDCACHE:
        for page in Page.objects.filter(pk__in={use.object_id for use in uses if use.is_page}):
            for shown_on in [page, *page.get_children().live()]:  # professions show their order's links
                purge_page(shown_on)
    return sorted({use.url for use in uses})


def use_new_address(obj: models.Model, field: LinkField, old: str, new: str, user) -> str:
    """Replace old by new in one field; a page gets a new revision, published if the user may publish.

    Returns PUBLISHED, DRAFT (the user must submit it), SAVED (a snippet or setting) or UNCHANGED
    (the latest version no longer holds the old address).
    """
    if isinstance(obj, Page):
        page = obj.get_latest_revision_as_object()
        value = getattr(page, field.name)
        if old not in urls_in(field.kind, value):
            return UNCHANGED
        setattr(page, field.name, replace_url(field.kind, value, old, new))
        revision = page.save_revision(user=user, log_action=True)
        if page.permissions_for_user(user).can_publish():
            revision.publish(user=user)
            return PUBLISHED
        return DRAFT
    value = getattr(obj, field.name)
    if old not in urls_in(field.kind, value):
        return UNCHANGED
    setattr(obj, field.name, replace_url(field.kind, value, old, new))
    obj.save()
    return SAVED
