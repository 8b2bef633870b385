"""What a shared blog page shows (Open Graph and Twitter card tags) and its plain share links."""

from urllib.parse import quote, urlencode

from django.utils import translation
from django.utils.translation import gettext

from wagtail.models import Page

OG_LOCALES = {"fr": "fr_CA", "en": "en_CA"}
OPEN_GRAPH_SPEC = "fill-1200x630"


def open_graph_meta(
    request, page: Page, *, description: str, image=None, image_alt="", published=None, rendition=None
) -> dict:
    """Open Graph and Twitter card values for a page, in the active language, with absolute URLs."""
    language = translation.get_language()
    meta = {
        "title": page.seo_title or page.title,
        "description": description,
        "url": request.build_absolute_uri(page.get_url(request=request)),
        "type": "article" if published else "website",
        "locale": OG_LOCALES.get(language, "fr_CA"),
        "alternate_locales": [locale for code, locale in OG_LOCALES.items() if code != language],
        "published": published.isoformat() if published else "",
        "twitter_card": "summary",
    }
    if image is not None:
        rendition = rendition or image.get_rendition(OPEN_GRAPH_SPEC)
        meta.update(
            {
                "image": request.build_absolute_uri(rendition.url),
                "image_alt": image_alt,
                "image_width": rendition.width,
                "image_height": rendition.height,
                "twitter_card": "summary_large_image",
            }
        )
    return meta


def plain_share_links(url: str, title: str) -> list[dict[str, str]]:
    """Plain share links: no third-party script, cookie or tracker is loaded."""
    return [
        {
            "name": "LinkedIn",
            "url": "https://www.linkedin.com/sharing/share-offsite/?" + urlencode({"url": url}),
        },
        {
            "name": "X (Twitter)",
            "url": "https://twitter.com/intent/tweet?" + urlencode({"url": url, "text": title}),
        },
        {
            "name": "Facebook",
            "url": "https://www.facebook.com/sharer/sharer.php?" + urlencode({"u": url}),
        },
        {
            "name": gettext("Email"),
            "url": "mailto:?" + urlencode({"subject": title, "body": url}, quote_via=quote),
        },
    ]
