"""One answer, written once: the professional's order with its links, a situation with its explainers,
and the guide's URL for them.

The guide (protection.models.GuidePage) and search (search.answers: the search page, the autocomplete
and the guide's « Décrivez votre situation » box) build their answers here, so both show the same
order, the same links (a deep link only after its last check passed, links.public) and the same labels.
"""

from urllib.parse import urlencode

from django.utils.translation import gettext as _

from home.language import localized
from home.public import is_public, public_among, public_pages
from links.public import shown_url
from professions.models import OrderPage, ProfessionPage


def order_link(url: str, website: str, fallback_note: str) -> dict | None:
    """A verified address of the order, else its website with a note saying what to look for there."""
    if url:
        return {"url": url, "note": ""}
    if website:
        return {"url": website, "note": fallback_note}
    return None


def guide_url(
    base_url: str, *, step: str = "", profession: str = "", body: str = "", occupation: str = "", also=()
) -> str:
    """A page of the guide: ?step=<result>&profession=<key>, ?profession=, ?body=, ?occupation= (the same
    keys in both languages), &also=<result>,<result> for the other situations a story told; without
    base_url, the query string alone."""
    query = {
        name: value
        for name, value in (
            ("step", step),
            ("profession", profession),
            ("body", body),
            ("occupation", occupation),
            ("also", ",".join(also)),
        )
        if value
    }
    return f"{base_url}?{urlencode(query)}" if query else base_url


def professional_answer(request, order: OrderPage | None, profession: dict | None, contact_syndic: bool) -> dict | None:
    """The profession (its key, title and url, if known), its public order and the order's links; None
    without a public order (home.public)."""
    if order is None or not is_public(order):
        return None
    return {
        "key": profession["key"] if profession else "",
        "title": profession["title"] if profession else "",
        "url": profession["url"] if profession else "",
        "order": {
            "key": order.key,
            "title": order.title,
            "acronym": order.acronym,
            "url": order.get_url(request) or "",
        },
        "register": order_link(
            shown_url(order.register_url, order.register_url_english, request),
            order.website,
            _("The register is on the order's website."),
        ),
        "syndic": order_link(
            shown_url(order.syndic_url, order.syndic_url_english, request),
            order.website,
            _("The order's website explains how to reach its syndic."),
        )
        if contact_syndic
        else None,
    }


def profession_answer(request, profession: ProfessionPage, contact_syndic: bool) -> dict | None:
    """A public profession and its order (the parent page)."""
    order = public_pages(OrderPage.objects.filter(path=profession.path[: -ProfessionPage.steplen])).first()
    return professional_answer(request, order, profession_fields(profession, request), contact_syndic)


def profession_fields(profession: ProfessionPage, request) -> dict:
    return {"key": profession.key, "title": profession.title, "url": profession.get_url(request) or ""}


def explainer_links(pages, request) -> list[dict]:
    """The public explainer pages of a situation (home.public), as the answer lists them."""
    return [
        {"title": page.title, "summary": page.summary, "url": page.get_url(request)} for page in public_among(pages)
    ]


def situation_answer(value, pages: list[dict]) -> dict:
    """A result step of the guide (a block's value, or its cached copy) as an answer shows it."""
    return {
        "key": value["key"],
        "short": localized(value, "short") or localized(value, "title"),
        "title": localized(value, "title"),
        "text": localized(value, "text"),
        "find_order": bool(value["find_order"]),
        "contact_syndic": bool(value.get("contact_syndic")),
        "pages": pages,
    }
