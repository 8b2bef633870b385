"""One answer for an understood question: who to turn to, what to do, and the guide's page for it.

The answer shown at the top of the search results, offered first by the autocomplete, and reached
from the guide's « Décrivez votre situation » box (search.views.answer redirects to `guide_url`).
"""

from django.utils.translation import gettext as _

from home.public import public_pages
from ops.cache import cached_fragment
from professions.models import OrderPage, ProfessionPage
from protection.answers import (
    explainer_links,
    guide_url,
    profession_answer,
    profession_fields,
    professional_answer,
    situation_answer,
)
from protection.models import ExplainerPage
from search.models import ORDER, PROFESSION, SearchEntry
from search.understanding import Understanding


def guide_answer_url(guide: dict, **keys: str) -> str:
    """The guide's page for this answer (its own URL, the same in both languages but for the path)."""
    return guide_url(guide["url"], **keys) if guide.get("url") else ""


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
        profession = public_pages(ProfessionPage.objects.filter(pk=entry.page_id)).first()
        return profession_answer(request, profession, contact_syndic) if profession else None
    if entry.kind == ORDER:
        order = public_pages(OrderPage.objects.filter(pk=entry.page_id)).first()
        # An order of one profession answers for it; else the order alone.
        only = list(public_pages(ProfessionPage.objects.child_of(order))[:2]) if order else []
        answer = professional_answer(
            request, order, profession_fields(only[0], request) if len(only) == 1 else None, contact_syndic
        )
        if answer:
            answer.update(title="", url="")
        return answer
    return None


def _situation(situation: dict, request) -> dict:
    """A result step of the guide, with its explainer pages (cached until the next publish)."""
    return cached_fragment(
        "answer-situation", request, situation["key"], build=lambda: _build_situation(situation, request)
    )


def _build_situation(situation: dict, request) -> dict:
    explainers = public_pages(ExplainerPage.objects.filter(pk__in=situation["pages"])).defer_streamfields().in_bulk()
    return situation_answer(situation, explainer_links([explainers.get(pk) for pk in situation["pages"]], request))


def build_answer(understanding: Understanding, request) -> dict | None:
    """The answer to show, or None when nothing was understood. See templates/components/answer.html."""
    if not understanding.understood:
        return None
    guide = understanding.guide
    told = [_situation(item, request) for item in understanding.situations]
    situation = told[0] if told else None
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
            _("No professional order handles this")
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
        contact_syndic = situation is None or any(item["contact_syndic"] for item in told)
        person = professional(understanding.entry, contact_syndic, request)
    profession_key = person["key"] if person else ""
    # A story that tells several situations: each door after the most serious one, with its guide page.
    more = [
        {**item, "guide_url": guide_answer_url(guide, step=item["key"], profession=profession_key)} for item in told[1:]
    ]
    if person is not None:
        name = person["title"] or person["order"]["title"]
        if situation:
            heading = _("%(action)s: %(profession)s") % {"action": situation["short"], "profession": name}
        else:
            heading = _("A problem with a professional: %(profession)s") % {"profession": name}
        url = guide_answer_url(
            guide,
            step=situation["key"] if situation else "",
            profession=person["key"],
            also=[item["key"] for item in more],
        )
        return {
            "kind": "professional",
            "heading": heading,
            "professional": person,
            "situation": situation,
            "more_situations": more,
            "guide_url": url,
            "typo": understanding.typo,
        }
    if situation:
        return {
            "kind": "situation",
            "heading": situation["short"],
            "situation": situation,
            "more_situations": more,
            "guide_url": guide_answer_url(guide, step=situation["key"], also=[item["key"] for item in more]),
        }
    return None
