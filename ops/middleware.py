"""Middleware for the anonymous page cache, shared-cache headers and the admin-aware CSP."""

from csp.middleware import CSPMiddleware, PolicyParts

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.utils.cache import patch_cache_control

from wagtail.views import serve as wagtail_serve

from ops.cache import (
    freeze,
    is_cacheable_request,
    is_cacheable_response,
    may_be_page,
    page_cache_key,
    page_cache_lookup,
    site_for_request,
    thaw,
)
from ops.cache.fast import LOOKED_UP

ADMIN_PREFIX = "/admin/"


class PageCacheMiddleware:
    """Serve anonymous page views from the cache, keyed on language, scheme, host and path, stored
    with the generation they were rendered under (a publish makes them stale at once).

    Only responses of Wagtail pages are stored (ops.wagtail_hooks marks them), so only paths under a
    language prefix are looked up (may_be_page); logged-in editors and anyone with a session cookie,
    as well as POSTs, always reach the view. It comes first in MIDDLEWARE (after gzip): a hit returns
    before the rest runs, and what is stored is the final response of the inner middleware, security
    headers and Cache-Control included.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        seconds = settings.PAGE_CACHE_SECONDS
        if not seconds or not may_be_page(request) or not is_cacheable_request(request):
            return self.get_response(request)
        key = page_cache_key(request)  # computed once: the inner middleware sets LANGUAGE_CODE
        looked_up = request.META.get(LOOKED_UP)  # a miss the fast path (ops/cache/fast.py) just saw
        if looked_up is not None and looked_up[0] == key:
            generation, frozen = looked_up[1], None
            request._cache_generation = generation  # as page_cache_lookup keeps it, for the fragments
        else:
            generation, frozen = page_cache_lookup(request, key)
        if generation is None:  # cache unreachable: serve uncached
            return self.get_response(request)
        if frozen is not None:
            response = thaw(frozen)
            response["X-Page-Cache"] = "hit"
            return response
        response = self.get_response(request)
        if is_cacheable_response(request, response):
            cache.set(key, (generation, freeze(response)), seconds)
            response["X-Page-Cache"] = "miss"
        return response


class CacheHeadersMiddleware:
    """Tell shared caches (Varnish, a CDN) what they may store.

    - an anonymous Wagtail page the page cache may store: `public, s-maxage=CDN_CACHE_SECONDS,
      stale-while-revalidate, stale-if-error` (the CDN is purged on publish, ops.frontend_cache);
    - anything for an editor or a visitor with a session, the admin, previews, and the answer to
      any request that is not GET/HEAD: `private, no-store`;
    - static files keep whitenoise's far-future headers; other responses are left as they are.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path_info.startswith(settings.STATIC_URL):
            return response
        if is_personal(request):  # patch_cache_control drops a "public" the view may have set
            patch_cache_control(response, private=True, no_store=True)
        elif settings.CDN_CACHE_SECONDS and is_cacheable_response(request, response):
            patch_cache_control(
                response,
                public=True,
                max_age=0,
                s_maxage=settings.CDN_CACHE_SECONDS,
                stale_while_revalidate=settings.CDN_STALE_WHILE_REVALIDATE_SECONDS,
                stale_if_error=settings.CDN_STALE_IF_ERROR_SECONDS,
            )
        return response


def is_personal(request: HttpRequest) -> bool:
    """Whether the answer may hold something for this visitor only."""
    return (
        not is_cacheable_request(request)
        or request.path_info.startswith(ADMIN_PREFIX)
        or getattr(request, "is_preview", False)
    )


class CachedSiteMiddleware:
    """Give Wagtail's page view the request's site from the cache.

    Site.find_for_request keeps what it finds in request._wagtail_site; setting it first saves the
    site and root page queries of every page view. Other views (admin, health check) are untouched.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> None:
        if view_func is wagtail_serve:
            request._wagtail_site = site_for_request(request)


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp with a second policy for the Wagtail admin, which needs inline scripts and styles."""

    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and parts.config is None and request.path_info.startswith(ADMIN_PREFIX):
            parts.config = settings.ADMIN_CONTENT_SECURITY_POLICY
        if not report_only and getattr(request, "is_preview", False):
            # Wagtail renders a preview through the public middleware (a dummy request at the page's
            # URL), and the editor shows it in an iframe of the admin: the admin may frame it.
            parts.replace = {**(parts.replace or {}), "frame-ancestors": ["'self'"]}
        return parts

    def process_response(self, request, response):
        response = super().process_response(request, response)
        if getattr(request, "is_preview", False):
            response["X-Frame-Options"] = "SAMEORIGIN"  # the same rule for browsers that read only this one
        return response


class PageCsrfViewMiddleware(CsrfViewMiddleware):
    """Django's CSRF check, which for a Wagtail page waits until the page is known.

    ops.wagtail_hooks runs the same check in `before_serve_page`, except for pages that check their
    form themselves (`csrf_checked_by_page`: the blog post, whose comment form must not set a
    cookie, or its page could never be cached). Every other view is checked here, as usual.
    """

    def process_view(self, request: HttpRequest, callback, callback_args, callback_kwargs):
        if callback is wagtail_serve:
            return None
        return super().process_view(request, callback, callback_args, callback_kwargs)
