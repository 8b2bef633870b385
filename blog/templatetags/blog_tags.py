"""Template tags of the blog used site-wide (the footer's social accounts)."""

from django import template
from django.core.cache import cache

from wagtail.models import Site

from blog.models import SocialMediaSettings
from ops.cache import FRAGMENT_CACHE_SECONDS, fragment_key

register = template.Library()


@register.simple_tag(takes_context=True)
def social_accounts(context) -> list[dict[str, str]]:
    """The campaign's social accounts, cached per site until the next publish or settings save."""
    request = context.get("request")
    key = fragment_key("social_accounts", request)
    accounts = cache.get(key) if key else None
    if accounts is None:
        site = Site.find_for_request(request) if request else None
        accounts = SocialMediaSettings.for_site(site).accounts if site else []
        if key:
            cache.set(key, accounts, FRAGMENT_CACHE_SECONDS)
    return accounts
