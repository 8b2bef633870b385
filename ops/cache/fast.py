"""Page-cache hits served before Django's request machinery (site_ordre/wsgi.py wraps the app).

A hit through the middleware stack pays for Django's request signals (two rounds of database
connection checks), the middleware chain and the response conversion: about twice the CPU of the
lookup itself (docs/deployment.md, "Cached and uncached pages against the bare hello view").
PageCacheFastPath answers a hit straight from the WSGI environ with the same rules, key and stored
response as ops.middleware.PageCacheMiddleware (ops/cache/pages.py: one definition), then lets
Django's own GZipMiddleware finish it exactly as the full stack does, so the headers are the same.
Anything else — a miss, a request with a session cookie or credentials, a POST, a path that cannot
be a page, the page cache off or unreachable, a host not allowed — goes to Django untouched.
"""

import logging

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.core.handlers.wsgi import WSGIRequest
from django.http import HttpResponse
from django.middleware.gzip import GZipMiddleware

from ops.cache.pages import is_cacheable_request, may_be_page, page_cache_key, page_cache_lookup, thaw

logger = logging.getLogger(__name__)

# The outermost middleware (site_ordre/settings.py): it runs after the page cache on the full path too.
_gzip = GZipMiddleware(lambda request: None)
# A miss looked up here is not looked up again by the middleware (only this code writes this key:
# a client's headers reach the environ as HTTP_* keys).
LOOKED_UP = "site_ordre.page_cache_lookup"


def cached_hit(environ: dict) -> tuple[WSGIRequest, HttpResponse] | None:
    """The request and the stored page, finished like a hit of the full stack; None: ask Django."""
    if not settings.PAGE_CACHE_SECONDS or environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
        return None
    request = WSGIRequest(environ)
    if not may_be_page(request) or not is_cacheable_request(request):
        return None
    try:
        key = page_cache_key(request)  # get_host() checks ALLOWED_HOSTS: Django answers the 400
    except SuspiciousOperation:
        return None
    generation, frozen = page_cache_lookup(request, key)
    if frozen is None:
        environ[LOOKED_UP] = (key, generation)
        return None
    response = thaw(frozen)
    response["X-Page-Cache"] = "hit"
    return request, _gzip.process_response(request, response)


class PageCacheFastPath:
    """WSGI middleware: a page-cache hit answered without entering Django's handler."""

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        try:
            hit = cached_hit(environ)
        except Exception:  # a shortcut must never fail a request: Django answers it
            logger.exception("Page cache fast path failed; serving through Django")
            hit = None
        if hit is None:
            return self.application(environ, start_response)
        _request, response = hit
        start_response(f"{response.status_code} {response.reason_phrase}", list(response.items()))
        # The body itself, not the response: its close() would send request_finished, whose
        # database connection checks are part of what a hit no longer pays for.
        return [response.content]
