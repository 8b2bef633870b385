from django.conf import settings

from wagtail import hooks

from ops.cache import is_cacheable_request


@hooks.register("before_serve_page")
def mark_public_page_cacheable(page, request, serve_args, serve_kwargs):
    """Let the page cache store this response unless the page has view restrictions."""
    if settings.PAGE_CACHE_SECONDS and is_cacheable_request(request):
        request._page_cacheable = not page.get_view_restrictions().exists()
