from django.conf import settings
from django.middleware.csrf import CsrfViewMiddleware

from wagtail import hooks

from ops.cache import is_cacheable_request

# Django's own CSRF check, run on a page view once the page is known (ops.middleware.PageCsrfViewMiddleware).
_csrf_check = CsrfViewMiddleware(lambda request: None)


@hooks.register("before_serve_page", order=-100)
def check_csrf(page, request, serve_args, serve_kwargs):
    """Refuse a page POST without Django's CSRF token, unless the page checks its form itself."""
    if getattr(page, "csrf_checked_by_page", False):
        return None
    return _csrf_check.process_view(request, None, (), {})


@hooks.register("before_serve_page")
def mark_public_page_cacheable(page, request, serve_args, serve_kwargs):
    """Let the page cache store this response unless the page has view restrictions."""
    if settings.PAGE_CACHE_SECONDS and is_cacheable_request(request):
        request._page_cacheable = not page.get_view_restrictions().exists()
