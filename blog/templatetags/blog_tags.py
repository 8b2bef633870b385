"""Template tags of the blog used site-wide (the footer's social accounts)."""

from django import template

from wagtail.models import Site

from blog.models import SocialMediaSettings
from ops.cache import cached_fragment

register = template.Library()


@register.simple_tag(takes_context=True)
def social_accounts(context) -> list[dict[str, str]]:
    """The campaign's social accounts, cached per site until the next publish or settings save."""
    request = context.get("request")

    def build() -> list[dict[str, str]]:
        site = Site.find_for_request(request) if request else None
        return SocialMediaSettings.for_site(site).accounts if site else []

    return cached_fragment("social_accounts", request, build=build)
