"""Every public page type, in both languages: the list the quality checks walk.

Adding a page type to the axe, HTML-validity, Lighthouse and screenshot checks is one line here.
The pages are those `seed_site` (or `tests.factories.seed_quality_pages`) creates. This module imports
no Django code: bench/ reads it before Django is set up.
"""

from typing import NamedTuple


class PageType(NamedTuple):
    name: str
    fr: str
    en: str
    main: bool = False  # main pages also get Lighthouse runs, screenshots and a 320 px check
    postgres_only: bool = False  # skipped on SQLite, where the search index has no full-text table

    def path(self, language: str) -> str:
        return getattr(self, language)


PAGE_TYPES = [
    PageType("home", "/fr/", "/en/", main=True),
    PageType("directory index", "/fr/ordres/", "/en/orders/", main=True),
    PageType("order", "/fr/ordres/ordre-des-ingenieurs-du-quebec/", "/en/orders/order-of-engineers/"),
    PageType(
        "profession",
        "/fr/ordres/ordre-des-ingenieurs-du-quebec/ingenieur/",
        "/en/orders/order-of-engineers/engineer/",
        main=True,
    ),
    PageType("professions A-Z", "/fr/professions/", "/en/professions/"),
    PageType("search results", "/fr/recherche/?q=ingénieur", "/en/search/?q=engineer"),
    PageType("explainers hub", "/fr/proteger-le-public/", "/en/protecting-the-public/"),
    PageType(
        "explainer",
        "/fr/proteger-le-public/demander-une-enquete-au-syndic/",
        "/en/protecting-the-public/request-an-inquiry-from-the-syndic/",
    ),
    PageType(
        "explainer with the trust barometer",
        "/fr/proteger-le-public/qu-est-ce-qu-un-ordre-professionnel/",
        "/en/protecting-the-public/what-is-a-professional-order/",
    ),
    PageType("trust barometer results", "/fr/barometre/?answer=both", "/en/barometer/?answer=public"),
    PageType(
        "explainer with a deadline",
        "/fr/proteger-le-public/contester-un-compte-d-honoraires/",
        "/en/protecting-the-public/dispute-a-professionals-bill/",
    ),
    PageType(
        "deadline",
        "/fr/echeance/?recourse=fees&order=ordre-des-architectes-du-quebec&received=2026-12-01",
        "/en/deadline/?recourse=review&received=2026-12-01",
    ),
    PageType("guide", "/fr/qui-contacter/", "/en/who-do-i-contact/"),
    PageType("guide answer", "/fr/qui-contacter/?step=r_syndic", "/en/who-do-i-contact/?step=r_syndic"),
    PageType(
        "guide for a profession", "/fr/qui-contacter/?profession=dentiste", "/en/who-do-i-contact/?profession=dentiste"
    ),
    PageType("guide, not an order", "/fr/qui-contacter/?body=oaciq", "/en/who-do-i-contact/?body=oaciq"),
    PageType(
        "search answer",
        "/fr/recherche/?q=mon+notaire+me+facture+trop",
        "/en/search/?q=complaint+against+my+pharmacist",
    ),
    PageType("blog index", "/fr/blogue/", "/en/blog/"),
    PageType(
        "blog post",
        "/fr/blogue/qu-est-ce-qu-un-ordre-professionnel/",
        "/en/blog/what-is-a-professional-order/",
        main=True,
    ),
    PageType("accessibility statement", "/fr/accessibilite/", "/en/accessibility/"),
    PageType("contact", "/fr/contact/", "/en/contact/"),
    PageType("contact, message sent", "/fr/contact/merci/?copy=1", "/en/contact/thanks/?copy=1"),
    PageType("contribution", "/fr/ce-que-les-ordres-apportent/", "/en/what-the-orders-contribute/", main=True),
    PageType("not found", "/fr/cette-page-nexiste-pas/", "/en/no-such-page/"),
]
LANGUAGES = ("fr", "en")


def page_types(*, main_only: bool = False) -> list[PageType]:
    """The page types to check on this database (PostgreSQL-only ones are left out on SQLite)."""
    from django.db import connection

    return [
        page
        for page in PAGE_TYPES
        if (page.main or not main_only) and (connection.vendor == "postgresql" or not page.postgres_only)
    ]
