"""Build SearchEntry rows from live pages: on publish, unpublish and move, and in a full rebuild.

The words of their names go to the vocabulary (SearchWord) that typo matching corrects against.
"""

from collections.abc import Iterable

from django.db import transaction
from django.utils import translation
from django.utils.html import strip_tags

from wagtail.models import Page
from wagtail.search import index

from home.language import localized, normalize
from home.public import is_public, public_pages
from search.models import BLOG_POST, EXPLAINER, ORDER, PAGE, PROFESSION, SearchEntry, SearchWord

LANGUAGES = ("fr", "en")
# Model labels, not imports: explainers and blog posts live in apps that search must not require.
KIND_BY_MODEL = {
    "professions.professionpage": PROFESSION,
    "professions.orderpage": ORDER,
    "protection.explainerpage": EXPLAINER,
    "blog.blogpostpage": BLOG_POST,
}
SKIPPED_FIELDS = {"title", "search_description", "reserved_titles", "abbreviations", "synonyms", "acronym"}


def _split(text: str, separator: str = ",") -> list[str]:
    return [item.strip() for item in (text or "").split(separator) if item.strip()]


def _flatten(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, Iterable):
        return [text for item in value for text in _flatten(item)]
    return [str(value)]


def _body_text(page: Page, language: str) -> str:
    """Searchable text of the page's own search fields, in that language, without HTML."""
    parts = []
    with translation.override(language):
        for field in page.search_fields:
            if isinstance(field, index.SearchField) and field.field_name not in SKIPPED_FIELDS:
                parts.extend(_flatten(field.get_value(page)))
    return " ".join(strip_tags(" ".join(parts)).split())


def entry_fields(page: Page, language: str, parent: Page | None) -> dict:
    """The searchable fields of a specific page in one language (see SearchEntry)."""
    other = "en" if language == "fr" else "fr"
    kind = KIND_BY_MODEL.get(page._meta.label_lower, PAGE)
    title = localized(page, "title", language)
    names, codes, other_names = [title], [], [localized(page, "title", other)]
    order_title, extra = "", []
    summary = localized(page, "summary", language) or localized(page, "search_description", language)
    if kind == PROFESSION:
        reserved = _split(page.reserved_titles, "\n")  # French, as written in the law
        (names if language == "fr" else other_names).extend(reserved)
        names += _split(localized(page, "synonyms", language))
        other_names += _split(localized(page, "synonyms", other))
        codes += _split(page.abbreviations)
        if parent is not None:
            order_title = parent.title
            if parent.acronym:
                order_title += f" ({parent.acronym})"
    elif kind == ORDER:
        # The sort name is the profession's own name ("ingénieur"): body text, so the profession ranks first.
        extra += [localized(page, "sort_name", language), localized(page, "sort_name", other)]
        names.append(localized(page, "gloss", language))
        other_names.append(localized(page, "gloss", other))
        codes.append(page.acronym)
    names, codes, other_names = ([item for item in group if item] for group in (names, codes, other_names))
    all_names = [*names, *codes, *other_names]
    with translation.override(language):
        url = page.get_url() or ""
    return {
        "kind": kind,
        "title": title,
        "url": url,
        "summary": summary,
        "order_title": order_title,
        "names": ", ".join(names),
        "codes": ", ".join(codes),
        "other_names": ", ".join(other_names),
        "body": " ".join([*extra, _body_text(page, language), order_title]).strip(),
        "norm_title": normalize(title)[:255],
        "terms": "|" + "|".join(dict.fromkeys(normalize(item) for item in all_names)) + "|",
        "normalized": " " + normalize(" ".join(all_names)),
    }


def is_searchable(page: Page) -> bool:
    """Live, public pages below a site root (the root and private pages are not searched)."""
    # Not the cached "is any page private" flag: this runs while a restriction is being saved,
    # before the cache hears of it.
    return page.depth > 2 and is_public(page, trust_cache=False)


def index_page(page: Page) -> None:
    """Create, update or remove the page's entries in both languages."""
    page = page.specific_deferred if type(page) is Page else page
    with transaction.atomic():
        SearchEntry.objects.filter(page=page).delete()
        if not is_searchable(page):
            return
        parent = page.get_parent().specific if KIND_BY_MODEL.get(page._meta.label_lower) == PROFESSION else None
        if page.get_url():
            entries = [
                SearchEntry(page=page, language=language, **entry_fields(page, language, parent))
                for language in LANGUAGES
            ]
            SearchEntry.objects.bulk_create(entries)
            add_words((entry.language, entry.normalized) for entry in entries)


def index_subtree(page: Page) -> None:
    """Re-index a page and its descendants (their URLs and governing order may have changed)."""
    for descendant in page.get_descendants(inclusive=True).specific():
        index_page(descendant)


def rebuild_index() -> int:
    """Rebuild every entry from the live, public pages; return the number of entries."""
    pages = list(public_pages(Page.objects.filter(depth__gt=2)).specific().order_by("path"))
    by_path = {page.path: page for page in pages}
    entries = []
    for page in pages:
        parent = by_path.get(page.path[: -Page.steplen])
        if not page.get_url():
            continue
        entries += [
            SearchEntry(page=page, language=language, **entry_fields(page, language, parent)) for language in LANGUAGES
        ]
    with transaction.atomic():
        SearchEntry.objects.all().delete()
        SearchEntry.objects.bulk_create(entries, batch_size=200)
        rebuild_words()
    return len(entries)


def _words(rows: Iterable[tuple[str, str]]) -> set[tuple[str, str]]:
    """(language, word) for every word of (language, normalized names) rows."""
    return {(language, word) for language, normalized in rows for word in normalized.split()}


def add_words(rows: Iterable[tuple[str, str]]) -> None:
    """Add the words of (language, normalized names) rows to the vocabulary; known words are skipped."""
    SearchWord.objects.bulk_create(
        [SearchWord(language=language, word=word) for language, word in sorted(_words(rows))], ignore_conflicts=True
    )


def rebuild_words(entry_model=SearchEntry, word_model=SearchWord) -> int:
    """The vocabulary from every entry's names (models given by a migration); return its size."""
    words = _words(entry_model.objects.values_list("language", "normalized").iterator(chunk_size=2000))
    word_model.objects.all().delete()
    word_model.objects.bulk_create(
        [word_model(language=language, word=word) for language, word in sorted(words)], batch_size=2000
    )
    return len(words)
