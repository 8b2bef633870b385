"""Site-wide template tags: language switcher, hreflang alternates, menus, social accounts, responsive images."""

import json
from urllib.parse import urlencode

from django import template
from django.apps import apps
from django.conf import settings
from django.urls import translate_url
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from wagtail.models import Page, Site

from home.language import active_language
from home.models import SocialMediaSettings, StandardPage
from home.public import public_pages
from ops.cache import cached_fragment

register = template.Library()


def url_in_language(request, page: Page | None, language: str) -> str | None:
    """Return the URL of the same page (or view) in another language, or None."""
    if isinstance(page, Page):
        with translation.override(language):
            return page.get_url(request=request)
    if request is None:
        return None
    # translate_url resolves the path in the active language, then reverses in the other one.
    return translate_url(request.get_full_path(), language)


@register.simple_tag(takes_context=True)
def language_links(context) -> list[dict]:
    """One entry per language: its code, name, URL of the current page and whether it is active."""
    request = context.get("request")
    page = context.get("page")
    # A view of a page (a routable page's filter, say) may give its own URL per language.
    given_urls = context.get("language_urls") or {}
    current = translation.get_language()
    # A page with language-independent sub-steps (e.g. ?step=…) keeps them across languages.
    suffix = context.get("language_link_suffix", "")
    links = []
    for code, name in settings.LANGUAGES:
        url = given_urls.get(code) or url_in_language(request, page, code)
        if url is None:
            continue
        url += suffix
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
    """Title and URL of the site root's public children shown in menus, in the active language."""
    site = Site.find_for_request(request) if request else None
    if site is None:
        return []
    return [
        {"title": child.title, "url": child.get_url(request=request)}
        for child in public_pages(site.root_page.get_children().in_menu())
    ]


@register.simple_tag(takes_context=True)
def social_accounts(context) -> list[dict[str, str]]:
    """The campaign's social accounts, cached per site until the next publish or settings save."""
    request = context.get("request")

    def build() -> list[dict[str, str]]:
        site = Site.find_for_request(request) if request else None
        return SocialMediaSettings.for_site(site).accounts() if site else []

    return cached_fragment("social_accounts", request, build=build)


def footer_links_for(request) -> list[dict]:
    """Title and URL of the content pages (accessibility statement…) and the contact page under the site root."""
    site = Site.find_for_request(request) if request else None
    if site is None:
        return []
    contact_page = apps.get_model("contact", "ContactPage")
    children = public_pages(site.root_page.get_children().type(StandardPage, contact_page))
    return [{"title": child.title, "url": child.get_url(request=request)} for child in children]


@register.inclusion_tag("components/footer_menu.html", takes_context=True)
def footer_menu(context) -> dict:
    """The footer links, cached per language and host until the next publish (ops.cache)."""
    request = context.get("request")
    return {"items": cached_fragment("footer_menu", request, build=lambda: footer_links_for(request))}


@register.inclusion_tag("components/main_menu.html", takes_context=True)
def main_menu(context) -> dict:
    """The main menu, cached per language and host until the next publish (ops.cache)."""
    request = context.get("request")
    links = cached_fragment("main_menu", request, build=lambda: menu_links(request))
    current_path = request.path if request else ""
    items = [{**link, "current": current_marker(link["url"], current_path)} for link in links]
    return {"items": items, "current": next((item for item in items if item["current"]), None)}


def current_marker(url: str | None, current_path: str) -> str:
    """aria-current for a menu link: "page" on the section's own page, "true" inside it, else ""."""
    if not url or not current_path.startswith(url):
        return ""
    return "page" if current_path == url else "true"


_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.filter
def jsonld(data: dict) -> SafeString:
    """JSON for a <script type="application/ld+json"> element, safe against "</script>" in text."""
    text = json.dumps(data, ensure_ascii=False).translate(_JSON_SCRIPT_ESCAPES)
    return mark_safe(text)  # noqa: S308 - escaped above, like Django's json_script


@register.inclusion_tag("components/breadcrumbs.html", takes_context=True)
def breadcrumbs(context) -> dict:
    """Links to the ancestors of the current page, below the site root."""
    request = context.get("request")
    page = context.get("page")
    items = []
    if isinstance(page, Page):
        # Routing already fetched the ancestors (SlugRouteMixin); previews fall back to a query.
        ancestors = getattr(page, "route_ancestors", None) or page.get_ancestors().filter(depth__gt=1)
        for ancestor in ancestors:
            items.append({"title": ancestor.title, "url": ancestor.get_url(request=request)})
    return {"items": items, "current": getattr(page, "title", "")}


@register.filter
def in_french(text: str) -> SafeString:
    """French text (a name, a legal term) inside another language: mark it lang="fr" for screen readers."""
    if active_language().startswith("fr"):
        return format_html("{}", text)
    return format_html('<span lang="fr">{}</span>', text)


@register.simple_tag
def untranslated_lang(page: Page) -> SafeString:
    """` lang="fr"` when the page's title in the active language is still its French title, else nothing."""
    language = active_language()
    if language.startswith("fr") or getattr(page, f"title_{language}", None) not in (page.title_fr, None, ""):
        return mark_safe("")
    return mark_safe(' lang="fr"')


DEFAULT_IMAGE_WIDTHS = (400, 800, 1200)


@register.inclusion_tag("components/responsive_image.html")
def responsive_image(
    image,
    sizes: str = "(min-width: 72rem) 70rem, 100vw",
    widths: str = "",
    alt: str | None = None,
    eager: bool = False,
    css_class: str = "",
) -> dict:
    """An <img> from Wagtail renditions: WebP srcset, sizes, width/height, lazy unless eager (the hero).

    `widths` is a comma-separated list ("320,640"); renditions never upscale, so widths beyond the
    original collapse into one candidate. `alt=""` marks a decorative image; None uses the image title.
    """
    if image is None:
        return {"image": None}
    wanted = [int(w) for w in widths.split(",") if w.strip()] if widths else list(DEFAULT_IMAGE_WIDTHS)
    specs = [f"width-{width}|format-webp" for width in sorted(set(wanted))]
    renditions = image.get_renditions(*specs)
    candidates = {}
    for spec in specs:
        rendition = renditions[spec]
        candidates.setdefault(rendition.width, rendition)
    ordered = [candidates[width] for width in sorted(candidates)]
    return {
        "image": image,
        # The fallback src for browsers without srcset: the second size, a fair middle.
        "src": ordered[min(1, len(ordered) - 1)],
        "srcset": ", ".join(f"{r.url} {r.width}w" for r in ordered),
        "sizes": sizes,
        "alt": image.title if alt is None else alt,
        "eager": eager,
        "css_class": css_class,
    }


def guide_url(request) -> str:
    """The “Who do I contact?” guide's URL in the active language ("" without one), cached until the next publish."""

    def build() -> str:
        guides = Page.objects.filter(content_type__app_label="protection", content_type__model="guidepage")
        guide = public_pages(guides).first()
        return (guide.get_url(request=request) or "") if guide else ""

    return cached_fragment("guide-url", request, build=build)


@register.inclusion_tag("components/guide_links.html", takes_context=True)
def guide_links(context, professions: list[dict]) -> dict:
    """Links to the guide pre-filled with each profession: every situation one click away."""
    url = guide_url(context.get("request"))
    items = [
        {"title": item["title"], "url": f"{url}?{urlencode({'profession': item['key']})}"}
        for item in professions
        if item.get("key")
    ]
    return {"items": items if url else []}
