"""The directory's A–Z listings: every order (filtered by sector and practice) and every profession.

Both build their cards from plain rows (two queries, no page instances) and cache them per language.
"""

from collections import defaultdict
from string import ascii_uppercase

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from wagtail.admin.panels import FieldPanel
from wagtail.models import Page

from home.language import initial_of, localized, sort_key
from home.public import public_pages
from ops.cache import cached_fragment
from professions.models.mixins import DirectoryPageMixin
from professions.models.pages import OrderPage, ProfessionPage
from professions.models.practice import PRACTICE_CHOICES
from professions.models.snippets import Sector

LETTERS = list(ascii_uppercase)


class OrderIndexPage(DirectoryPageMixin, Page):
    """All professional orders: A–Z index, filters by sector and practice type."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["professions.OrderPage"]
    max_count = 1

    class Meta:
        verbose_name = _("directory of orders")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        sectors = self.sector_choices(request)
        sector_keys = {sector.key for sector in sectors}
        selected_sector = request.GET.get("sector", "")
        selected_practice = request.GET.get("practice", "")
        selected_letter = request.GET.get("letter", "").upper()
        if selected_sector not in sector_keys:
            selected_sector = ""
        if selected_practice not in dict(PRACTICE_CHOICES):
            selected_practice = ""
        if selected_letter not in LETTERS:
            selected_letter = ""

        base_url = self.get_url(request)
        cards = cached_fragment(
            "directory-cards",
            request,
            self.pk,
            selected_sector,
            selected_practice,
            build=lambda: self.order_cards(base_url, sectors, selected_sector, selected_practice),
        )
        letters_present = {card["letter"] for card in cards}
        groups = defaultdict(list)
        for card in cards:
            if not selected_letter or card["letter"] == selected_letter:
                groups[card["letter"]].append(card)
        shown = sum(len(items) for items in groups.values())
        context.update(
            {
                "index_url": base_url,
                "sectors": sectors,
                "practice_choices": PRACTICE_CHOICES,
                "selected_sector": selected_sector,
                "selected_practice": selected_practice,
                "selected_letter": selected_letter,
                "is_filtered": bool(selected_sector or selected_practice or selected_letter),
                "letters": [{"letter": letter, "present": letter in letters_present} for letter in LETTERS],
                "groups": sorted(groups.items()),
                "count": shown,
                "count_text": ngettext("%(count)d professional order", "%(count)d professional orders", shown)
                % {"count": shown},
            }
        )
        return context

    def sector_choices(self, request) -> list[Sector]:
        """Sectors for the filter, cached per language until the next save (they rarely change)."""
        return cached_fragment(
            "directory-sectors", request, self.pk, build=lambda: list(Sector.objects.filter(live=True))
        )

    def order_cards(self, base_url: str, sectors: list, selected_sector: str, selected_practice: str) -> list[dict]:
        """The directory cards, sorted by the profession people look for (two queries, no instances)."""
        orders = OrderPage.objects.child_of(self).card_rows()
        if selected_sector:
            orders = orders.filter(sector_id=next(sector.pk for sector in sectors if sector.key == selected_sector))
        if selected_practice:
            orders = orders.filter(practice=selected_practice)
        professions_by_order = defaultdict(list)
        for row in ProfessionPage.objects.descendant_of(self).card_rows():
            professions_by_order[row["path"][: -Page.steplen]].append(row)

        sector_names = {sector.pk: sector.name for sector in sectors}
        practice_labels = dict(PRACTICE_CHOICES)
        cards = []
        for row in orders:
            url = f"{base_url}{localized(row, 'slug')}/"
            index_name = localized(row, "sort_name") or localized(row, "title")
            cards.append(
                {
                    "name": localized(row, "title"),
                    "url": url,
                    "index_name": index_name,
                    "letter": initial_of(index_name),
                    "gloss": localized(row, "gloss"),
                    "acronym": row["acronym"],
                    "practice": practice_labels.get(row["practice"], ""),
                    "sector": sector_names.get(row["sector_id"], ""),
                    "professions": [
                        {"title": localized(profession, "title"), "url": f"{url}{localized(profession, 'slug')}/"}
                        for profession in professions_by_order[row["path"]]
                    ],
                }
            )
        cards.sort(key=lambda card: (sort_key(card["index_name"]), sort_key(card["name"])))
        return cards


class ProfessionIndexPage(DirectoryPageMixin, Page):
    """Every profession A–Z with the order that governs it."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = []
    max_count = 1

    class Meta:
        verbose_name = _("professions A–Z")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        groups = cached_fragment("professions-a-z", request, self.pk, build=lambda: self.profession_groups(request))
        count = sum(len(items) for _letter, items in groups)
        present = {letter for letter, _items in groups}
        context.update(
            {
                "groups": groups,
                "letters": [{"letter": letter, "present": letter in present} for letter in LETTERS],
                "count_text": ngettext("%(count)d profession", "%(count)d professions", count) % {"count": count},
            }
        )
        return context

    def profession_groups(self, request) -> list[tuple[str, list[dict]]]:
        """Every public profession with its order, grouped by initial and sorted (two queries)."""
        index_page = public_pages(OrderIndexPage.objects.all()).first()
        groups = defaultdict(list)
        if index_page is not None:
            index_url = index_page.get_url(request)
            orders = {}
            for row in OrderPage.objects.child_of(index_page).card_rows():
                orders[row["path"]] = {
                    "name": localized(row, "title"),
                    "url": f"{index_url}{localized(row, 'slug')}/",
                }
            for row in ProfessionPage.objects.descendant_of(index_page).card_rows():
                order = orders.get(row["path"][: -Page.steplen])
                if order is None:
                    continue
                title = localized(row, "title")
                groups[initial_of(title)].append(
                    {"title": title, "order": order, "url": f"{order['url']}{localized(row, 'slug')}/"}
                )
        for items in groups.values():
            items.sort(key=lambda item: sort_key(item["title"]))
        return sorted(groups.items())
