"""sitemap.xml: every live page once per language it exists in, with hreflang alternates."""

from types import SimpleNamespace

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.utils.translation import get_language

from wagtail.models import Page

from home.public import public_pages
from translations.public import fallback_language


class TranslatedPageSitemap(Sitemap):
    """Live public pages; a page whose English is missing is listed in French only."""

    i18n = True
    alternates = True

    def __init__(self):
        super().__init__()
        self._root_paths_holders: dict[str, SimpleNamespace] = {}

    def items(self):
        return public_pages(Page.objects.filter(depth__gt=1)).order_by("path").specific()

    def get_languages_for_item(self, item):
        return [code for code, _name in settings.LANGUAGES if fallback_language(item, code) is None]

    def location(self, item) -> str:
        # One holder per language keeps the site root paths for the whole sitemap: without it,
        # every URL asks the cache again (slow, and very slow when the cache server is down).
        holder = self._root_paths_holders.setdefault(get_language(), SimpleNamespace())
        parts = item.get_url_parts(holder)
        return parts[2] if parts else ""

    def lastmod(self, item):
        return item.last_published_at

    def get_urls(self, page=1, site=None, protocol=None):
        urls = [url for url in super().get_urls(page=page, site=site, protocol=protocol) if url["location"]]
        # x-default is the French URL, as in each page's <head> (Django's own strips the prefix).
        for url in urls:
            default = [alt for alt in url["alternates"] if alt["lang_code"] == settings.LANGUAGE_CODE]
            url["alternates"] += [{"location": alt["location"], "lang_code": "x-default"} for alt in default]
        return urls
