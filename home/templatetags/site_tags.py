"""Site-wide template tags: language switcher, hreflang alternates, main menu."""

from django import template
from django.conf import settings
from django.core.cache import cache
from django.urls import translate_url
from django.utils import translation

from wagtail.models import Page, Site

from ops.cache import FRAGMENT_CACHE_SECONDS, fragment_key

register = template.Library()


def url_in_language(request, page: Page | None, language: str) -> str | None:
    """Return the URL of the same page (or view) in another language, or None."""
    with translation.override(language):
        if isinstance(page, Page):
            return page.get_url(request=request)
        if request is None:
            return None
        return translate_url(request.get_full_path(), language)


@register.simple_tag(takes_context=True)
def language_links(context) -> list[dict]:
    """One entry per language: its code, name, URL of the current page and whether it is active."""
    request = context.get("request")
    page = context.get("page")
    current = translation.get_language()
    links = []
    for code, name in settings.LANGUAGES:
        url = url_in_language(request, page, code)
        if url is None:
            continue
        links.append(
            {
                "code": code,
                "name": name,
                "url": url,
                "absolute_url": request.build_absolute_uri(url) if request else url,
                "is_current": code == current,
            }
        )
    return links


def menu_links(request) -> list[dict]:
    """Title and URL of the site root's live children shown in menus, in the active language."""
    site = Site.find_for_request(request) if request else None
    if site is None:
        return []
    return [
        {"title": child.title, "url": child.get_url(request=request)}
        for child in site.root_page.get_children().live().in_menu()
    ]


@register.inclusion_tag("components/main_menu.html", takes_context=True)
def main_menu(context) -> dict:
    """The main menu, cached per language and host until the next publish (ops.cache)."""
    request = context.get("request")
    key = fragment_key("main_menu", request)
    links = cache.get(key) if key else None
    if links is None:
        links = menu_links(request)
        if key:
            cache.set(key, links, FRAGMENT_CACHE_SECONDS)
    current_path = request.path if request else ""
    items = [{**link, "active": bool(link["url"]) and current_path.startswith(link["url"])} for link in links]
    return {"items": items}
