"""The site search page and its autocomplete endpoint."""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import HttpResponseRedirect, JsonResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from wagtail.contrib.search_promotions.models import SearchPromotion
from wagtail.search.utils import normalise_query_string

from home.language import normalize
from home.public import public_pages
from ops.cache import cached_fragment, shared_value
from professions.models import OrderIndexPage, ProfessionIndexPage
from search import query_log
from search.answers import build_answer
from search.forms import MAX_QUERY_LENGTH, SearchForm, clean_query_text, too_long
from search.models import KIND_CHOICES, ORDER, PROFESSION, SearchEntry
from search.query import search_entries
from search.text import highlight
from search.understanding import understand
from search.words import singular

RESULTS_PER_PAGE = 10
MAX_SUGGESTIONS = 8
STORY_WORDS = 12  # content words beyond which a question is a story
KIND_LABELS = dict(KIND_CHOICES)


def _result(entry: SearchEntry, words: list[str]) -> dict:
    return {
        "kind": entry.kind,
        "kind_label": KIND_LABELS.get(entry.kind, ""),
        "url": entry.url,
        "title": highlight(entry.title, words),
        "summary": highlight(entry.summary, words),
        "order_title": entry.order_title,
    }


def _promotions(query: str, language: str) -> list[dict]:
    """Editors' promoted results for this exact query, in the active language."""
    query_string = normalise_query_string(query)
    if query_string not in _promoted_queries():
        return []
    promotions = list(SearchPromotion.objects.filter(query__query_string=query_string).order_by("sort_order"))
    entries = {
        entry.page_id: entry
        for entry in SearchEntry.objects.filter(
            language=language, page_id__in=[item.page_id for item in promotions if item.page_id]
        )
    }
    results = []
    for promotion in promotions:
        if promotion.page_id in entries:
            entry = entries[promotion.page_id]
            results.append({"page_id": entry.page_id, "url": entry.url, "title": entry.title, "summary": entry.summary})
        elif not promotion.page_id and promotion.external_link_url:
            results.append(
                {
                    "page_id": None,
                    "url": promotion.external_link_url,
                    "title": promotion.external_link_text or promotion.external_link_url,
                    "summary": promotion.description,
                }
            )
    return results


def _promoted_queries() -> frozenset[str]:
    """The queries editors promote results for (cached until the next change: promotions bump the generation)."""
    return shared_value(
        "promoted-queries",
        lambda: frozenset(SearchPromotion.objects.values_list("query__query_string", flat=True).distinct()),
    )


def _without_professions(ids: list[int]) -> list[int]:
    """Results without professions and orders: for an occupation that no order governs, none is first."""
    kinds = dict(SearchEntry.objects.filter(id__in=ids).values_list("id", "kind"))
    return [entry_id for entry_id in ids if kinds.get(entry_id) not in (PROFESSION, ORDER)]


def search(request):
    """Search professions, orders and content in the active language; bad input gives a polite page.

    A question that is understood (search.understanding) gets one answer above the results.
    """
    form = SearchForm(request.GET)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    language = translation.get_language()
    outcome, promotions, words, answer, understanding = None, [], [], None, None
    ids = []
    if query:
        understanding = understand(query, request, language)
        answer = build_answer(understanding, request)
        # An answered question needs no "did you mean" (typos only when nothing was understood). A story
        # is searched by what it names, or by its first content words: no page holds a whole story.
        outcome = search_entries(_searched_text(query, understanding), language, typos=answer is None)
        if answer and not outcome.ids and understanding.entry:
            # "plainte contre mon notaire" matches no page as a whole: list what the answer names.
            outcome = search_entries(understanding.entry.title, language, typos=False)
        if understanding.not_an_order:
            outcome.ids, outcome.fuzzy, outcome.suggestion = _without_professions(outcome.ids), False, ""
        promotions = _promotions(query, language)
        promoted = {item["page_id"] for item in promotions}
        ids = outcome.ids
        if promoted:
            pages = dict(SearchEntry.objects.filter(id__in=ids).values_list("id", "page_id"))
            ids = [entry_id for entry_id in ids if pages.get(entry_id) not in promoted]
        # Typo results are highlighted with the words of the suggestion ("dentsite" → Dentiste).
        shown = normalize(outcome.suggestion if outcome.fuzzy else " ".join(understanding.words) or query)
        words = [*shown.split(), *singular(shown).split()]
        if request.GET.get("page") in (None, "", "1"):
            query_log.record(query, language, found=bool(ids or promotions), understood=answer is not None)
    suggestion = outcome.suggestion if outcome else ""
    page_obj = Paginator(ids, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
    entries = SearchEntry.objects.in_bulk(list(page_obj.object_list))
    results = [_result(entries[entry_id], words) for entry_id in page_obj.object_list if entry_id in entries]
    response = TemplateResponse(
        request,
        "search/search.html",
        {
            "search_query": query,
            "form": form,
            # A story longer than the box: said, and given back whole (cleaned) to be shortened.
            "query_errors": form.errors.get("q", []) if form.has_error("q", "too_long") else [],
            "story_text": clean_query_text(request.GET.get("q", "")) if form.has_error("q", "too_long") else "",
            "max_query_length": MAX_QUERY_LENGTH,
            "page_obj": page_obj,
            "answer": answer if page_obj.number == 1 else None,
            "only_filler": bool(query) and understanding is not None and not understanding.words,
            "results": results,
            "promotions": promotions if page_obj.number == 1 else [],
            "fuzzy": bool(outcome and outcome.fuzzy),
            "suggestion": suggestion,
            "suggestion_url": f"{reverse('search')}?{urlencode({'q': suggestion})}",
            "directory_links": _directory_links(request) if query and not (ids or promotions or answer) else [],
            "guide_url": (understanding.guide.get("url") if understanding else "") or "",
        },
    )
    return _private_if_asked(response, query or request.GET.get("q", ""))


def _searched_text(query: str, understanding) -> str:
    """What the results search for: the question, or for a story its profession's name (else its first
    content words)."""
    if len(understanding.words) <= STORY_WORDS:
        return query
    if understanding.entry is not None:
        return understanding.entry.title
    return " ".join(understanding.words[:STORY_WORDS])


def _private_if_asked(response, query: str):
    """What someone typed may be personal (a professional's name): no shared cache keeps it."""
    if query:
        patch_cache_control(response, private=True, no_store=True)
    return response


@require_GET
def answer(request):
    """The guide's « Décrivez votre situation » box: go to the answer's own page (the guide's), else the results."""
    form = SearchForm(request.GET)
    if not form.is_valid():  # too long: the search page says so, with the text to shorten
        return _private_if_asked(
            HttpResponseRedirect(f"{reverse('search')}?{urlencode({'q': request.GET.get('q', '')})}"), "-"
        )
    query = form.cleaned_data["q"]
    if query:
        understood = build_answer(understand(query, request, translation.get_language()), request)
        if understood and understood["guide_url"]:
            return _private_if_asked(HttpResponseRedirect(understood["guide_url"]), query)
    return _private_if_asked(HttpResponseRedirect(f"{reverse('search')}?{urlencode({'q': query})}"), query)


def _directory_links(request) -> list[dict]:
    """Where to go when nothing matched: the directory of orders and the professions A–Z (cached until the
    next publish)."""

    def build():
        links = []
        for model in (OrderIndexPage, ProfessionIndexPage):
            page = public_pages(model.objects.all()).first()
            if page is not None:
                links.append({"title": page.title, "url": page.get_url(request)})
        return links

    return cached_fragment("search-directory-links", request, build=build)


@require_GET
def suggestions(request):
    """The answer to the question if one is understood, then up to 8 professions and orders, as JSON."""
    query = clean_query_text(request.GET.get("q", ""))
    language = translation.get_language()
    results = []
    if too_long(query):  # the search page says why; nothing is suggested for a cut text
        query = ""
    if len(query) >= 2:
        understanding = understand(query, request, language)
        answer = build_answer(understanding, request)
        if answer and answer["guide_url"]:
            results.append(
                {
                    "title": answer["heading"],
                    "url": answer["guide_url"],
                    "kind": "answer",
                    "kind_label": _("Answer"),
                    "order": "",
                }
            )
        if not understanding.not_an_order and len(understanding.words) <= STORY_WORDS:  # no names in a story
            outcome = search_entries(
                query, language, kinds=[PROFESSION, ORDER], limit=MAX_SUGGESTIONS, names_only=True, typos=not results
            )
            if outcome.ids:
                entries = SearchEntry.objects.in_bulk(outcome.ids)
                results += [
                    {
                        "title": entries[entry_id].title,
                        "url": entries[entry_id].url,
                        "kind": entries[entry_id].kind,
                        "kind_label": str(KIND_LABELS[entries[entry_id].kind]),
                        "order": entries[entry_id].order_title,
                    }
                    for entry_id in outcome.ids
                    if entry_id in entries
                ][: MAX_SUGGESTIONS - len(results)]
    return _private_if_asked(JsonResponse({"query": query, "search_url": reverse("search"), "results": results}), query)
