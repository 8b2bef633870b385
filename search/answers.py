"""One answer for an understood question: who to turn to, what to do, and the guide's page for it.

The answer shown at the top of the search results, offered first by the autocomplete, and reached
from the guide's « Décrivez votre situation » box (search.views.answer redirects to `guide_url`).
"""

from urllib.parse import urlencode

from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext as _

from home.language import active_language, localized, translated_columns
from home.public import public_pages
from links.public import shown_url
from ops.cache import cached_fragment
from professions.models import OrderPage, ProfessionPage
from protection.models import ExplainerPage, order_link
from search.models import ORDER, PROFESSION, SearchEntry
from search.understanding import Understanding

SYNDIC_SITUATIONS = {"r_syndic", "r_review", "r_private"}


def guide_answer_url(guide: dict, *, step: str = "", profession: str = "", body: str = "", occupation: str = "") -> str:
    """The guide's page for this answer (its own URL, the same in both languages but for the path)."""
    if not guide.get("url"):
        return ""
    query = {
        name: value
        for name, value in (("step", step), ("profession", profession), ("body", body), ("occupation", occupation))
        if value
    }
    return f"{guide['url']}?{urlencode(query)}" if query else guide["url"]


def _order_values(**lookup):
    language = active_language()
    entry_url = SearchEntry.objects.filter(page_id=OuterRef("pk"), language=language).values("url")[:1]
    return (
        public_pages(OrderPage.objects.filter(**lookup))
        .annotate(entry_url=Subquery(entry_url))
        .values(
            "pk",
            "key",
            "path",
            "acronym",
            "website",
            "register_url",
            "register_url_english",
            "syndic_url",
            "syndic_url_english",
            "entry_url",
            *translated_columns("title"),
        )
        .first()
    )


def professional(entry: SearchEntry, contact_syndic: bool, request=None) -> dict | None:
    """The profession (or order) named, its order and the order's links, as the guide shows them
    (cached until the next publish or link check: pages, orders and links all bump the generation)."""
    return (
        cached_fragment(
            "answer-professional",
            request,
            entry.pk,
            contact_syndic,
            build=lambda: _professional(entry, contact_syndic, request) or False,
        )
        or None
    )


def _professional(entry: SearchEntry, contact_syndic: bool, request) -> dict | None:
    if entry.kind == PROFESSION:
        row = public_pages(ProfessionPage.objects.filter(pk=entry.page_id)).values("key", "path").first()
        order = _order_values(path=row["path"][: -ProfessionPage.steplen]) if row else None
        key, title, url = (row or {}).get("key", ""), entry.title, entry.url
    elif entry.kind == ORDER:
        order = _order_values(pk=entry.page_id)
        children = public_pages(
            ProfessionPage.objects.filter(
                path__startswith=order["path"] if order else "-",
                depth=len(order["path"] if order else "") // ProfessionPage.steplen + 1,
            )
        )
        only = list(children.values_list("key", flat=True)[:2]) if order else []
        key, title, url = (only[0] if len(only) == 1 else ""), "", ""
    else:
        return None
    if order is None:
        return None
    return {
        "key": key,
        "title": title,
        "url": url,
        "order": {
            "key": order["key"],
            "title": localized(order, "title"),
            "acronym": order["acronym"],
            "url": order["entry_url"] or "",
        },
        # The deep links only when their last check passed (links.public), else the website with a note.
        "register": order_link(
            shown_url(order["register_url"], order["register_url_english"], request),
            order["website"],
            _("The register is on the order's website."),
        ),
        "syndic": order_link(
            shown_url(order["syndic_url"], order["syndic_url_english"], request),
            order["website"],
            _("The order's website explains how to reach its syndic."),
        )
        if contact_syndic
        else None,
    }


def _situation(situation: dict, request) -> dict:
    """A result step of the guide, with its explainer pages (cached until the next publish)."""
    return cached_fragment(
        "answer-situation", request, situation["key"], build=lambda: _build_situation(situation, request)
    )


def _build_situation(situation: dict, request) -> dict:
    explainers = {
        page.pk: page
        for page in public_pages(ExplainerPage.objects.filter(pk__in=situation["pages"])).defer_streamfields()
    }
    return {
        "key": situation["key"],
        "short": localized(situation, "short") or localized(situation, "title"),
        "title": localized(situation, "title"),
        "text": localized(situation, "text"),
        "find_order": situation["find_order"],
        "pages": [
            {"title": page.title, "summary": page.summary, "url": page.get_url(request)}
            for pk in situation["pages"]
            if (page := explainers.get(pk)) is not None
        ],
    }


def build_answer(understanding: Understanding, request) -> dict | None:
    """The answer to show, or None when nothing was understood. See templates/components/answer.html."""
    if not understanding.understood:
        return None
    guide = understanding.guide
    situation = _situation(understanding.situation, request) if understanding.situation else None
    if understanding.not_an_order:
        bodies = [
            {
                "name": body.name,
                "acronym": body.acronym,
                "gloss": body.gloss,
                "handles": body.handles,
                "website": body.website,
            }
            for body in understanding.bodies
        ]
        unregulated = [{"name": item.name, "summary": item.summary} for item in understanding.unregulated]
        first = understanding.bodies[0] if understanding.bodies else None
        url = (
            guide_answer_url(guide, body=first.key)
            if first
            else guide_answer_url(guide, occupation=understanding.unregulated[0].key)
        )
        heading = (
            _("No professional order governs this occupation")
            if bodies
            else _("No professional order and no public body regulates this occupation")
        )
        return {
            "kind": "not_an_order",
            "heading": heading,
            "bodies": bodies,
            "unregulated": unregulated,
            "guide_url": url,
        }
    person = None
    if understanding.entry is not None:
        contact_syndic = situation is None or situation["key"] in SYNDIC_SITUATIONS
        person = professional(understanding.entry, contact_syndic, request)
    if person is not None:
        name = person["title"] or person["order"]["title"]
        if situation:
            heading = _("%(action)s: %(profession)s") % {"action": situation["short"], "profession": name}
        else:
            heading = _("A problem with a professional: %(profession)s") % {"profession": name}
        url = guide_answer_url(guide, step=situation["key"] if situation else "", profession=person["key"])
        return {
            "kind": "professional",
            "heading": heading,
            "professional": person,
            "situation": situation,
            "guide_url": url,
            "typo": understanding.typo,
        }
    if situation:
        return {
            "kind": "situation",
            "heading": situation["short"],
            "situation": situation,
            "guide_url": guide_answer_url(guide, step=situation["key"]),
        }
    return None
