"""Site-wide template tags: language switcher, hreflang alternates, main menu."""

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils import translation

from wagtail.models import Page, Site

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
    # A view of a page (a routable page's filter, say) may give its own URL per language.
    given_urls = context.get("language_urls") or {}
    current = translation.get_language()
    links = []
    for code, name in settings.LANGUAGES:
        url = given_urls.get(code) or url_in_language(request, page, code)
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


@register.inclusion_tag("components/main_menu.html", takes_context=True)
def main_menu(context) -> dict:
    """The site root's live children that are shown in menus, in the active language."""
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    items = []
    if site is not None:
        current_path = request.path
        for child in site.root_page.get_children().live().in_menu():
            url = child.get_url(request=request)
            items.append({"title": child.title, "url": url, "active": current_path.startswith(url)})
    return {"items": items}
