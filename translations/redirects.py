"""Permanent redirects for every language when a page's URL changes (slug edit or move).

Wagtail's automatic redirects follow the active language only; here each language's url_path
is compared before and after the save, and the page and its descendants keep their old URLs.
"""

from django.conf import settings
from django.db.models.signals import post_save, pre_save
from django.urls import reverse
from django.utils import translation

from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page, Site

from home.language import translated_columns


def url_path_columns() -> list[str]:
    return translated_columns("url_path")


def public_path(url_path: str, language: str) -> tuple[Site, str] | None:
    """The site and public path ("/en/orders/x/") of a url_path in a language, or None outside sites."""
    for site in Site.objects.select_related("root_page"):
        root_path = getattr(site.root_page, f"url_path_{language}") or site.root_page.url_path
        if root_path and url_path.startswith(root_path):
            with translation.override(language):
                return site, reverse("wagtail_serve", args=(url_path[len(root_path) :],))
    return None


def remember_url_paths(sender, instance, raw=False, **kwargs) -> None:
    if raw or not isinstance(instance, Page) or instance.pk is None:
        return
    instance._previous_url_paths = Page.objects.filter(pk=instance.pk).values(*url_path_columns()).first()


def redirect_old_urls(sender, instance, raw=False, **kwargs) -> None:
    previous = getattr(instance, "_previous_url_paths", None)
    instance._previous_url_paths = None
    if raw or not previous or not instance.live:
        return
    current = Page.objects.filter(pk=instance.pk).values(*url_path_columns()).first() or {}
    for code, _name in settings.LANGUAGES:
        old, new = previous.get(f"url_path_{code}"), current.get(f"url_path_{code}")
        if old and new and old != new:
            redirect_tree(instance, code, old, new)


def redirect_tree(page: Page, language: str, old: str, new: str) -> None:
    """Redirect the old URL of the page and of each live descendant to the page, in one language."""
    column = f"url_path_{language}"
    for pk, url_path in Page.objects.descendant_of(page, inclusive=True).live().values_list("pk", column):
        # Descendants' url_paths are rewritten after the page's own save: accept either state.
        prefix = new if (url_path or "").startswith(new) else old if (url_path or "").startswith(old) else None
        if prefix is None:
            continue
        suffix = url_path[len(prefix) :]
        old_location = public_path(old + suffix, language)
        new_location = public_path(new + suffix, language)
        if old_location is None:
            continue
        site, old_public = old_location
        Redirect.objects.update_or_create(
            old_path=Redirect.normalise_path(old_public),
            site=site,
            defaults={"redirect_page_id": pk, "redirect_link": "", "is_permanent": True},
        )
        if new_location is not None:
            # A slug changed back: its old redirect would now shadow the live page.
            Redirect.objects.filter(old_path=Redirect.normalise_path(new_location[1]), site=site).delete()


def connect() -> None:
    pre_save.connect(remember_url_paths, dispatch_uid="translations_remember_url_paths")
    post_save.connect(redirect_old_urls, dispatch_uid="translations_redirect_old_urls")
