"""Middleware for the anonymous page cache and the admin-aware Content-Security-Policy."""

from csp.middleware import CSPMiddleware, PolicyParts

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware

from wagtail.views import serve as wagtail_serve

from ops.cache import freeze, is_cacheable_request, is_cacheable_response, page_cache_key, site_for_request, thaw

ADMIN_PREFIX = "/admin/"


class PageCacheMiddleware:
    """Serve anonymous page views from the cache, keyed on generation, language, scheme, host, path.

    Only responses of Wagtail pages are stored (ops.wagtail_hooks marks them); logged-in editors
    and anyone with a session cookie, as well as POSTs, always reach the view.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        seconds = settings.PAGE_CACHE_SECONDS
        if not seconds or not is_cacheable_request(request):
            return self.get_response(request)
        key = page_cache_key(request)
        if key is None:  # cache unreachable: serve uncached
            return self.get_response(request)
        frozen = cache.get(key)
        if frozen is not None:
            response = thaw(frozen)
            response["X-Page-Cache"] = "hit"
            return response
        response = self.get_response(request)
        if is_cacheable_response(request, response):
            cache.set(key, freeze(response), seconds)
            response["X-Page-Cache"] = "miss"
        return response


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
        return parts


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
