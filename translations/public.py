"""Public side: a page whose translation is missing is shown in French, said so, and marked lang="fr"."""

from django.utils import translation

from wagtail.models import Page

from translations.status import NOT_CONTENT, column, is_missing, is_tracked, source_language, translated_fields


def fallback_language(page: Page | None, language: str | None = None) -> str | None:
    """The language the page's content is shown in instead of `language`, or None if it is translated."""
    language = language or translation.get_language()
    if not isinstance(page, Page) or language == source_language() or not is_tracked(type(page)):
        return None
    return source_language() if is_missing(page, language) else None


def fall_back_to_source_language(page: Page, request, serve_args, serve_kwargs) -> None:
    """before_serve_page: show an untranslated page entirely in French rather than half-translated."""
    language = translation.get_language()
    source = fallback_language(page, language)
    if source is None:
        return
    request.translation_fallback = source
    # Only this request's instance changes: the content columns read in French, URLs stay English.
    for name in translated_fields(type(page)):
        if name not in NOT_CONTENT:
            setattr(page, column(name, language), getattr(page, column(name, source)))
