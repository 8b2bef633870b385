from wagtail import hooks

from home.public import PublicPageLinkHandler


@hooks.register("register_rich_text_features", order=1)
def link_only_to_public_pages(features):
    """Replace Wagtail's page link handler (registered at order 0) with one that drops private addresses."""
    features.register_link_type(PublicPageLinkHandler)
