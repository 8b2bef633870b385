"""Open data: the whole directory as JSON and CSV, both languages, stable keys."""

import csv

from django.http import HttpResponse, JsonResponse
from django.utils import timezone, translation
from django.views.decorators.http import require_safe

from wagtail.models import Page

from home.public import public_pages
from links.models import CheckedLink, state_of
from professions.models import OrderIndexPage, OrderPage, ProfessionPage

LANGUAGES = ("fr", "en")
# Open-data name → OrderPage field of each address the link checker checks.
LINK_COLUMNS = {
    "website": "website",
    "register_url": "register_url",
    "register_url_en": "register_url_english",
    "syndic_url": "syndic_url",
    "syndic_url_en": "syndic_url_english",
}


def link_checks(orders: list[OrderPage]) -> dict[str, dict[str, dict]]:
    """Per order key: each address with its last check (state, HTTP status, date), in one query."""
    urls = {getattr(order, field) for order in orders for field in LINK_COLUMNS.values()} - {""}
    checks = {link.url: link for link in CheckedLink.objects.filter(url__in=urls)}
    now = timezone.now()
    found = {}
    for order in orders:
        found[order.key] = {}
        for name, field in LINK_COLUMNS.items():
            url = getattr(order, field)
            if not url:
                continue
            link = checks.get(url)
            found[order.key][name] = {
                "url": url,
                "status": state_of(link, now),
                "verified": link is not None and link.is_shown(now),
                "http_status": link.status_code if link else None,
                "checked_at": link.checked_at.isoformat() if link and link.checked_at else None,
                # Where a redirect led, unless the checker refused to go there (never published).
                "final_url": link.final_url if link and link.redirected and not link.refused else "",
            }
    return found


def directory_records(request) -> list[dict]:
    """One record per public order with its public professions, both languages' fields and URLs."""
    index = public_pages(OrderIndexPage.objects.all()).first()
    if index is None:
        return []
    index_urls = {}
    for language in LANGUAGES:
        with translation.override(language):
            index_urls[language] = request.build_absolute_uri(index.get_url(request=request))
    professions = {}
    for profession in ProfessionPage.objects.descendant_of(index).for_directory().order_by("path"):
        professions.setdefault(profession.path[: -Page.steplen], []).append(profession)
    records = []
    orders = list(OrderPage.objects.child_of(index).for_directory().order_by("key"))
    checks = link_checks(orders)
    for order in orders:
        order_urls = {language: f"{index_urls[language]}{order.localized_slug(language)}/" for language in LANGUAGES}
        records.append(
            {
                "key": order.key,
                "name_fr": order.title_fr,
                "name_en": order.title_en or order.title_fr,
                "acronym": order.acronym,
                "sector": order.sector.key if order.sector else "",
                "practice": order.practice,
                "website": order.website,
                "register_url": order.register_url,
                "register_url_en": order.register_url_english,
                "syndic_url": order.syndic_url,
                "syndic_url_en": order.syndic_url_english,
                "link_checks": checks[order.key],
                "founded_year": order.founded_year,
                "members_count": order.members_count if order.members_year else None,
                "members_year": order.members_year,
                "summary_fr": order.summary_fr or "",
                "summary_en": order.summary_en or "",
                "url_fr": order_urls["fr"],
                "url_en": order_urls["en"],
                "professions": [
                    {
                        "key": profession.key,
                        "title_fr": profession.title_fr,
                        "title_en": profession.title_en or profession.title_fr,
                        "practice": profession.practice,
                        "reserved_titles_fr": profession.reserved_title_list,
                        "abbreviations": profession.abbreviation_list,
                        "url_fr": f"{order_urls['fr']}{profession.localized_slug('fr')}/",
                        "url_en": f"{order_urls['en']}{profession.localized_slug('en')}/",
                    }
                    for profession in professions.get(order.path, [])
                ],
            }
        )
    return records


@require_safe
def directory_json(request):
    records = directory_records(request)
    payload = {
        "orders_count": len(records),
        "professions_count": sum(len(record["professions"]) for record in records),
        "orders": records,
    }
    return JsonResponse(payload, json_dumps_params={"ensure_ascii": False, "indent": 1})


CSV_COLUMNS = [
    "order_key", "order_name_fr", "order_name_en", "acronym", "sector", "order_practice", "website",
    "register_url", "syndic_url", "order_url_fr", "order_url_en", "profession_key", "profession_title_fr",
    "profession_title_en", "profession_practice", "reserved_titles_fr", "abbreviations",
    "profession_url_fr", "profession_url_en", "register_url_en", "syndic_url_en",
    *(f"{name}_{part}" for name in LINK_COLUMNS for part in ("status", "checked_at")),
]  # fmt: skip


@require_safe
def directory_csv(request):
    """One row per profession, with its order's columns repeated (spreadsheet-friendly, UTF-8 BOM)."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="directory.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(CSV_COLUMNS)
    for order in directory_records(request):
        checks = []
        for name in LINK_COLUMNS:
            check = order["link_checks"].get(name) or {}
            checks += [check.get("status", ""), check.get("checked_at") or ""]
        for profession in order["professions"]:
            writer.writerow(
                [
                    order["key"], order["name_fr"], order["name_en"], order["acronym"], order["sector"],
                    order["practice"], order["website"], order["register_url"], order["syndic_url"],
                    order["url_fr"], order["url_en"], profession["key"], profession["title_fr"],
                    profession["title_en"], profession["practice"],
                    " | ".join(profession["reserved_titles_fr"]), " | ".join(profession["abbreviations"]),
                    profession["url_fr"], profession["url_en"], order["register_url_en"], order["syndic_url_en"],
                    *checks,
                ]
            )  # fmt: skip
    return response
