"""The anonymous page cache: which requests and responses it keeps, under which key, and how."""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils import translation

from ops.cache.generation import GENERATION_KEY, current_generation, generation_cache


def is_cacheable_request(request: HttpRequest) -> bool:
    """Anonymous GET/HEAD: no session (editors, form users) and no credentials."""
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "HTTP_AUTHORIZATION" not in request.META
    )


def may_be_page(request: HttpRequest) -> bool:
    """Whether the path can name a stored page: only Wagtail pages are stored, and they all live under
    a language prefix (/fr/…, /en/…, site_ordre/urls.py). Static files, media, /healthz, the admin,
    documents, open data, the sitemap and robots.txt never pay a cache lookup."""
    return translation.get_language_from_path(request.path_info) is not None


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
    if generation_cache() is cache:
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
