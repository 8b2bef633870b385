from wagtail import hooks


@hooks.register("before_serve_page")
def mark_public_page_cacheable(page, request, serve_args, serve_kwargs):
    """Let the page cache store this response unless the page has view restrictions."""
    request._page_cacheable = not page.get_view_restrictions().exists()
