"""Anonymous page cache and menu fragments, invalidated at once by a site-wide generation number.

Every key includes the current *generation*. Any publish, unpublish, move or delete of a page
(and any save of a site, setting, view restriction, image, document or of a model listed in
PUBLIC_CONTENT_MODELS) bumps it, so every cached page
and fragment — both languages, index and listing pages included — is stale at once without
having to know which pages list which. The cost is a cold cache after each publish.
"""

import hashlib
import logging
import time

from django.conf import settings
from django.core.cache import cache, caches
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.utils import translation

from wagtail.contrib.settings.models import BaseGenericSetting, BaseSiteSetting
from wagtail.documents.models import AbstractDocument
from wagtail.images.models import AbstractImage
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.models.view_restrictions import BaseViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from site_ordre.db_router import record_primary_position

logger = logging.getLogger(__name__)

GENERATION_KEY = "site_ordre:generation"
FRAGMENT_CACHE_SECONDS = 3600
# Saves that only record a new draft revision change nothing a visitor sees.
DRAFT_ONLY_FIELDS = {
    "draft_title",
    "latest_revision",
    "latest_revision_created_at",
    "has_unpublished_changes",
    "locked",
    "locked_at",
    "locked_by",
}


# Snippets and other models whose saves and deletes change what visitors see. Saves of models not
# listed here never touch the cache: above all blog comments, which any visitor can post (spam
# included); moderation refreshes the cache itself (blog.models.comments). A test checks that every
# registered snippet is either listed here or in NOT_PUBLIC_CONTENT_MODELS.
PUBLIC_CONTENT_MODELS = frozenset(
    {
        "professions.Sector",
        "protection.OtherBody",
        "protection.UnregulatedOccupation",
        "search.SearchSynonym",
        "blog.BlogAuthor",
        "blog.BlogCategory",
        "blog.BlogTag",
        "wagtailsearchpromotions.SearchPromotion",
    }
)
NOT_PUBLIC_CONTENT_MODELS = frozenset({"blog.Comment"})


def _generation_cache():
    return caches["generation"] if "generation" in settings.CACHES else cache


def current_generation() -> int | None:
    """Return the cache generation, or None when the cache is unreachable (then nothing is cached)."""
    store = _generation_cache()
    value = store.get(GENERATION_KEY)
    if value is None:
        # Start from the clock, so that a lost key (eviction, restart) never reuses an old number.
        start = time.time_ns() // 1_000_000
        value = start if store.add(GENERATION_KEY, start, timeout=None) else store.get(GENERATION_KEY)
    return value


def request_generation(request: HttpRequest | None) -> int | None:
    """The generation read once per request, so a page and its fragments agree."""
    if request is None:
        return current_generation()
    if not hasattr(request, "_cache_generation"):
        request._cache_generation = current_generation()
    return request._cache_generation


def bump_generation() -> None:
    """Make every cached page and fragment stale."""
    store = _generation_cache()
    try:
        store.incr(GENERATION_KEY)
    except ValueError:  # missing key
        store.set(GENERATION_KEY, time.time_ns() // 1_000_000, timeout=None)


def invalidate() -> None:
    """Bump now (this process sees the change at once) and again after commit.

    The second bump closes the race where another request renders the old content between the
    first bump and the commit and caches it under the new generation.
    """
    bump_generation()
    # First where the primary's log stands, so readers wait for the replica to replay it.
    transaction.on_commit(record_primary_position, robust=True)
    transaction.on_commit(bump_generation, robust=True)


def fragment_key(name: str, request: HttpRequest | None, *parts: object) -> str | None:
    """A cache key for a fragment, per generation, language and host; None if the cache is down."""
    generation = request_generation(request)
    if generation is None:
        return None
    language = getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE)
    host = request.get_host() if request is not None else ""
    return ":".join(str(p) for p in ("fragment", name, generation, language, host, *parts))


def cached_fragment(name: str, request: HttpRequest | None, *parts: object, build):
    """The value cached under fragment_key(name, request, *parts), built by build() on a miss.

    Without a reachable cache it is simply built each time.
    """
    return _get_or_build(fragment_key(name, request, *parts), build)


def _get_or_build(key: str | None, build):
    value = cache.get(key) if key else None
    if value is None:
        value = build()
        if key:
            cache.set(key, value, FRAGMENT_CACHE_SECONDS)
    return value


def shared_value(name: str, build, request: HttpRequest | None = None):
    """A site-wide value (not per language) cached until the next generation (the request's, if given)."""
    generation = request_generation(request)
    return _get_or_build(f"shared:{name}:{generation}" if generation is not None else None, build)


def any_page_view_restriction() -> bool:
    """Whether any page is private (password, login or groups); saved restrictions bump the generation."""
    return shared_value("page-view-restrictions", lambda: PageViewRestriction.objects.exists())


def site_for_request(request: HttpRequest) -> Site | None:
    """Wagtail's Site.find_for_request, with the site and its specific root page cached.

    Wagtail looks the site up with one query per request and then loads the root page; both only
    change when a site or a page is saved, which bumps the generation.
    """

    def build():
        site = Site._find_for_request(request)
        if site is not None:
            site.root_page = site.root_page.specific
        return site or False  # False: no site for this host (None means a cache miss)

    where = f"{request._get_raw_host()}|{request.get_port()}"
    return shared_value(f"site:{hashlib.sha256(where.encode()).hexdigest()}", build, request) or None


# --- Anonymous page cache ---------------------------------------------------------------------


def is_cacheable_request(request: HttpRequest) -> bool:
    """Anonymous GET/HEAD: no session (editors, form users) and no credentials."""
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "HTTP_AUTHORIZATION" not in request.META
    )


def page_cache_key(request: HttpRequest) -> str:
    url = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    digest = hashlib.sha256(url.encode()).hexdigest()
    # Looked up before LocaleMiddleware runs: the language comes from the /fr/ or /en/ prefix.
    language = translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
    return f"page:{language}:{digest}"


def page_cache_lookup(request: HttpRequest, key: str):
    """The current generation and the page stored under key if it was stored under that generation.

    With Redis both come in one round trip (MGET). Entries hold (generation, frozen response);
    one from an older generation is stale. The generation is kept on the request, so the
    fragments rendered on a miss agree with it. (None, None) when the cache is unreachable.
    """
    if _generation_cache() is cache:
        found = cache.get_many([GENERATION_KEY, key])
        generation = found.get(GENERATION_KEY)
        if generation is None:
            generation = current_generation()
        entry = found.get(key)
    else:
        generation = current_generation()
        entry = cache.get(key) if generation is not None else None
    request._cache_generation = generation
    if generation is not None and isinstance(entry, tuple) and len(entry) == 2 and entry[0] == generation:
        return generation, entry[1]
    return generation, None


def is_cacheable_response(request: HttpRequest, response: HttpResponse) -> bool:
    """A public 200 page response that sets no cookie and embeds no CSRF token."""
    cache_control = response.get("Cache-Control", "").lower()
    return (
        getattr(request, "_page_cacheable", False)
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not any(word in cache_control for word in ("private", "no-cache", "no-store"))
        and not response.has_header("Vary")
    )


def freeze(response: HttpResponse) -> tuple[int, bytes, list[tuple[str, str]]]:
    return response.status_code, response.content, list(response.headers.items())


def thaw(frozen: tuple[int, bytes, list[tuple[str, str]]]) -> HttpResponse:
    status, content, headers = frozen
    response = HttpResponse(content, status=status)
    for name, value in headers:
        response[name] = value
    return response


# --- Invalidation -----------------------------------------------------------------------------


def _is_public_content(instance) -> bool:
    return instance._meta.label in PUBLIC_CONTENT_MODELS or isinstance(
        instance,
        Page | Site | BaseViewRestriction | BaseSiteSetting | BaseGenericSetting | AbstractImage | AbstractDocument,
    )


def _on_save(sender, instance, update_fields=None, raw=False, created=False, **kwargs) -> None:
    if raw or not _is_public_content(instance):
        return
    if created and isinstance(instance, BaseSiteSetting | BaseGenericSetting):
        # Settings rows are created on first read (for_request) with their defaults: nothing changed.
        return
    if isinstance(instance, Page) and update_fields and set(update_fields) <= DRAFT_ONLY_FIELDS:
        return
    invalidate()


def _on_delete(sender, instance, **kwargs) -> None:
    if _is_public_content(instance):
        invalidate()


def _on_page_event(sender, **kwargs) -> None:
    invalidate()


def connect_signals() -> None:
    page_published.connect(_on_page_event, dispatch_uid="ops_cache_published")
    page_unpublished.connect(_on_page_event, dispatch_uid="ops_cache_unpublished")
    post_page_move.connect(_on_page_event, dispatch_uid="ops_cache_moved")
    post_save.connect(_on_save, dispatch_uid="ops_cache_saved")
    post_delete.connect(_on_delete, dispatch_uid="ops_cache_deleted")
