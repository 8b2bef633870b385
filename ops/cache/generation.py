"""The site-wide cache generation, and the fragments and shared values cached under it.

Every key includes the current *generation*. Any publish, unpublish, move or delete of a page
(and any save of a site, setting, view restriction, image, document or of a model listed in
ops.cache.invalidation.PUBLIC_CONTENT_MODELS) bumps it, so every cached page and fragment — both
languages, index and listing pages included — is stale at once without having to know which pages
list which. The cost is a cold cache after each publish.

Two request shortcuts live here too, each kept on measurement (bench/request_shortcuts.py): the
cached `Site` and the "is any page private" flag.
"""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache, caches
from django.db import transaction
from django.http import HttpRequest

from wagtail.models import PageViewRestriction, Site

from ops.database.replica import record_primary_position

GENERATION_KEY = "site_ordre:generation"
FRAGMENT_CACHE_SECONDS = 3600


def generation_cache():
    return caches["generation"] if "generation" in settings.CACHES else cache


def current_generation() -> int | None:
    """Return the cache generation, or None when the cache is unreachable (then nothing is cached)."""
    store = generation_cache()
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
    store = generation_cache()
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
