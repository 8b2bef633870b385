"""Template tags for pages shown in French because their translation is missing."""

from django import template
from django.conf import settings
from django.utils import translation

register = template.Library()


@register.simple_tag(takes_context=True)
def content_language(context) -> str:
    """The language the page's content is in: the active one, or French when it falls back."""
    request = context.get("request")
    return getattr(request, "translation_fallback", "") or ""


@register.inclusion_tag("translations/fallback_notice.html", takes_context=True)
def translation_fallback_notice(context) -> dict:
    """A bilingual notice above content shown in French because its English is missing."""
    request = context.get("request")
    source = getattr(request, "translation_fallback", "")
    return {"source": source, "source_name": dict(settings.LANGUAGES).get(source, "")}


@register.simple_tag(takes_context=True)
def hreflang_alternates(context, languages: list[dict]) -> list[dict]:
    """The language links worth announcing to search engines: not those where the page is untranslated."""
    from translations.public import fallback_language

    page = context.get("page")
    request = context.get("request")
    # During a fallback the page's English columns already hold the French: trust the request flag.
    shown_in_fallback = translation.get_language() if getattr(request, "translation_fallback", "") else None
    return [
        link
        for link in languages
        if link["code"] != shown_in_fallback and fallback_language(page, link["code"]) is None
    ]
