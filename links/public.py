"""What public pages may show: an address only when its last check passed within LINK_CHECK_MAX_AGE_DAYS.

Page views read recorded results only (one cached map, rebuilt once per cache generation); they
never fetch anything. The checker bumps the generation when an address becomes shown or hidden.
"""

from datetime import datetime

from django.http import HttpRequest
from django.utils import timezone

from home.language import active_language
from links.models import CheckedLink, max_age
from ops.cache import shared_value


def passed_checks(request: HttpRequest | None = None) -> dict[str, datetime]:
    """Address → time of its last check, for every address whose last check passed."""

    def build() -> dict[str, datetime]:
        return dict(CheckedLink.objects.filter(passed=True).values_list("url", "checked_at"))

    return shared_value("links-passed", build, request)


def is_shown(url: str, request: HttpRequest | None = None) -> bool:
    if not url:
        return False
    checked_at = passed_checks(request).get(url)
    return checked_at is not None and checked_at >= timezone.now() - max_age()


def shown_url(url: str, english_url: str = "", request: HttpRequest | None = None) -> str:
    """The checked deep link to show in the active language ("" when none may be shown).

    English pages prefer the order's English page and fall back to its French one; French pages
    show the French page only.
    """
    candidates = [url]
    if english_url and active_language() == "en":
        candidates.insert(0, english_url)
    return next((candidate for candidate in candidates if is_shown(candidate, request)), "")
