"""The directory: Québec's professional orders and the professions they govern, as a page tree.

OrderIndexPage → OrderPage (one per *ordre professionnel*) → ProfessionPage; a ProfessionIndexPage
lists every profession A–Z. Sectors are a small translatable snippet.
"""

import unicodedata
from collections import defaultdict
from string import ascii_uppercase

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, PageManager, PageQuerySet
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from home.blocks import BaseStreamBlock
from home.models import BilingualPreviewMixin, SlugRouteMixin
from links.panels import CheckedURLPanel
from links.public import shown_url
from ops.cache import cached_fragment

EXCLUSIVE = "exclusive"
RESERVED_TITLE = "reserved_title"
PRACTICE_CHOICES = [
    (EXCLUSIVE, _("Exclusive practice")),
    (RESERVED_TITLE, _("Reserved title")),
]
MEMBER_QUALIFIERS = [
    ("exact", _("exactly")),
    ("approx", _("about")),
    ("nearly", _("nearly")),
    ("more_than", _("more than")),
]
LETTERS = list(ascii_uppercase)


def sort_key(text: str) -> str:
    """Accent- and case-insensitive key: "Éducateur" sorts with "educateur"."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def initial_of(text: str) -> str:
    """The A–Z letter a name is indexed under ("Évaluateur" → "E")."""
    key = sort_key(text).lstrip()
    return key[:1].upper() if key[:1].isalpha() else "#"


def practice_meaning(practice: str) -> str:
    """What the practice type means for a member of the public."""
    if practice == EXCLUSIVE:
        return _(
            "Only members of the order may practise this profession and use its titles. "
            "Anyone else who does the reserved work commits an offence."
        )
    return _(
        "Only members of the order may use the reserved titles. Others may do similar work "
        "under another name, but they are not supervised by the order: check the title."
    )


@register_snippet
class Sector(models.Model):
    """A group of orders used to filter the directory (e.g. health and human relations)."""

    key = models.SlugField(unique=True, help_text=_("Stable identifier used in URLs and data files."))
    name = models.CharField(_("name"), max_length=120)
    sort_order = models.PositiveSmallIntegerField(default=0)

    panels = [FieldPanel("name"), FieldPanel("key"), FieldPanel("sort_order")]

    class Meta:
        ordering = ["sort_order", "key"]
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")

    def __str__(self) -> str:
        return self.name


def translated_columns(*fields: str) -> list[str]:
    """Every language's column of each translated field: ("title",) → ["title_fr", "title_en"]."""
    return [f"{name}_{code}" for name in fields for code, _label in settings.LANGUAGES]


def localized(row: dict, field: str) -> str:
    """A translated value from a .values() row, in the active language, French when missing."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    return row.get(f"{field}_{language}") or row.get(f"{field}_{settings.LANGUAGE_CODE}") or ""


class OrderPageQuerySet(PageQuerySet):
    def for_directory(self) -> "OrderPageQuerySet":
        """Live orders with their sector, ready for a listing (no body fields)."""
        return self.live().select_related("sector").defer_streamfields()

    def card_rows(self):
        """Live orders as plain rows with just what a directory card shows (no model instances)."""
        return self.live().values(
            "path", "acronym", "practice", "sector_id", *translated_columns("title", "slug", "gloss", "sort_name")
        )


class ProfessionPageQuerySet(PageQuerySet):
    def for_directory(self) -> "ProfessionPageQuerySet":
        """Live professions without their body fields, ready for a listing."""
        return self.live().defer_streamfields()

    def card_rows(self):
        """Live professions as plain rows: path, title and slug in every language."""
        return self.live().order_by("path").values("path", *translated_columns("title", "slug"))


class DirectoryPageMixin(SlugRouteMixin, BilingualPreviewMixin):
    """Shared helpers of directory pages."""

    def localized_slug(self, language: str) -> str:
        """The slug used in URLs of that language (French when the translation is empty)."""
        return getattr(self, f"slug_{language}") or self.slug_fr

    def child_url(self, parent_url: str, child: Page) -> str:
        """URL of a child page from its parent's URL, without another reverse() per child."""
        return f"{parent_url}{child.slug}/"


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
        return cached_fragment("directory-sectors", request, self.pk, build=lambda: list(Sector.objects.all()))

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


class OrderPage(DirectoryPageMixin, Page):
    """An *ordre professionnel* under the Code des professions, and what it does for the public."""

    key = models.SlugField(unique=True, max_length=120, help_text=_("Stable identifier used by the data file."))
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    gloss = models.CharField(
        _("plain-language name"),
        max_length=200,
        blank=True,
        help_text=_("Shown beside the official name, e.g. “Québec's order of engineers” in English."),
    )
    sort_name = models.CharField(
        _("directory index name"),
        max_length=120,
        blank=True,
        help_text=_("The profession people look for, used for A–Z sorting (e.g. “ingénieur”)."),
    )
    website = models.URLField(_("website"), blank=True)
    register_url = models.URLField(
        _("public register (tableau des membres)"),
        blank=True,
        help_text=_("Until a check passes, the page points to the website."),
    )
    register_url_english = models.URLField(
        _("public register, English page"),
        blank=True,
        help_text=_("Shown on English pages when it works; otherwise the French page."),
    )
    syndic_url = models.URLField(
        _("request an inquiry (syndic)"),
        blank=True,
        help_text=_("Until a check passes, the page points to the website."),
    )
    syndic_url_english = models.URLField(
        _("request an inquiry, English page"),
        blank=True,
        help_text=_("Shown on English pages when it works; otherwise the French page."),
    )
    sector = models.ForeignKey(
        Sector, verbose_name=_("sector"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    practice = models.CharField(_("practice type"), max_length=20, choices=PRACTICE_CHOICES)
    founded_year = models.PositiveSmallIntegerField(_("founding year"), null=True, blank=True)
    members_count = models.PositiveIntegerField(_("number of members"), null=True, blank=True)
    members_qualifier = models.CharField(
        _("precision of the number"), max_length=12, choices=MEMBER_QUALIFIERS, blank=True
    )
    members_year = models.PositiveSmallIntegerField(
        _("year of the number of members"),
        null=True,
        blank=True,
        help_text=_("The number is shown only with its year."),
    )
    summary = models.TextField(_("summary"), blank=True)
    description = RichTextField(_("description"), blank=True, features=["bold", "italic", "ol", "ul", "link"])
    body = StreamField(BaseStreamBlock(), blank=True, verbose_name=_("more content"))

    objects = PageManager.from_queryset(OrderPageQuerySet)()
    # Deep links shown only while their last check passes (links.public); the checker refreshes pages on a change.
    checked_link_fields = ("register_url", "register_url_english", "syndic_url", "syndic_url_english")

    content_panels = [
        *Page.content_panels,
        FieldPanel("gloss"),
        FieldPanel("summary"),
        FieldPanel("description"),
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("acronym"), FieldPanel("sort_name")]),
                FieldRowPanel([FieldPanel("sector"), FieldPanel("practice")]),
                CheckedURLPanel("website", public=False),
                CheckedURLPanel("register_url"),
                CheckedURLPanel("register_url_english"),
                CheckedURLPanel("syndic_url"),
                CheckedURLPanel("syndic_url_english"),
                FieldPanel("founded_year"),
                FieldRowPanel(
                    [FieldPanel("members_count"), FieldPanel("members_qualifier"), FieldPanel("members_year")]
                ),
                FieldPanel("key"),
            ],
            heading=_("Facts"),
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("acronym", boost=3),
        index.SearchField("summary"),
        index.AutocompleteField("acronym"),
    ]
    parent_page_types = ["professions.OrderIndexPage"]
    subpage_types = ["professions.ProfessionPage"]

    class Meta:
        verbose_name = _("professional order")
        verbose_name_plural = _("professional orders")

    @cached_property
    def professions(self) -> list["ProfessionPage"]:
        return list(ProfessionPage.objects.child_of(self).for_directory())

    def members_text(self) -> str:
        """“About 62,068 members (2016)”, or "" when the number or its year is unknown."""
        if not (self.members_count and self.members_year):
            return ""
        number = f"{self.members_count:,}".replace(",", "\u00a0" if translation.get_language() == "fr" else ",")
        qualifier = "" if self.members_qualifier == "exact" else f"{self.get_members_qualifier_display()} "
        return _("%(qualifier)s%(number)s members (%(year)s)") % {
            "qualifier": qualifier,
            "number": number,
            "year": self.members_year,
        }

    def structured_data(self, request) -> dict:
        """schema.org Organization for search engines."""
        data = {
            "@context": "https://schema.org",
            "@type": "Organization",
            "name": self.title,
            "url": request.build_absolute_uri(self.get_url(request=request)),
            "description": self.summary,
        }
        if self.acronym:
            data["alternateName"] = self.acronym
        if self.website:
            data["sameAs"] = [self.website]
        if self.founded_year:
            data["foundingDate"] = str(self.founded_year)
        return data

    def profession_cards(self, request, own_url: str) -> list[dict]:
        """The professions it governs as cards, cached per language until the next publish."""

        def build() -> list[dict]:
            return [
                {"pk": p.pk, "key": p.key, "title": p.title, "summary": p.summary, "url": self.child_url(own_url, p)}
                for p in self.professions
            ]

        return cached_fragment("order-professions", request, self.pk, build=build)

    def sector_name(self, request) -> str:
        """Its sector's name, from the cached names of all sectors (no query per page view)."""
        if self.sector_id is None:
            return ""
        names = cached_fragment("sector-names", request, build=lambda: {s.pk: s.name for s in Sector.objects.all()})
        return names.get(self.sector_id, "")

    def action_links(self, request=None) -> dict[str, str]:
        """The register and syndic addresses public pages may show now ("" → the website instead)."""
        return {
            "register": shown_url(self.register_url, self.register_url_english, request),
            "syndic": shown_url(self.syndic_url, self.syndic_url_english, request),
        }

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["action_links"] = self.action_links(request)
        context["professions"] = self.profession_cards(request, self.get_url(request))
        context["sector_name"] = self.sector_name(request)
        context["structured_data"] = self.structured_data(request)
        return context


class ProfessionPage(DirectoryPageMixin, Page):
    """A profession governed by its parent order: reserved titles, practice type, checks, complaints."""

    key = models.SlugField(unique=True, max_length=120, help_text=_("Stable identifier used by the data file."))
    reserved_titles = models.TextField(
        _("reserved titles"),
        blank=True,
        help_text=_("One per line, in French as written in the law, feminine forms included."),
    )
    abbreviations = models.CharField(
        _("abbreviations"), max_length=200, blank=True, help_text=_("Comma-separated, e.g. “ing., P.Eng.”.")
    )
    practice = models.CharField(_("practice type"), max_length=20, choices=PRACTICE_CHOICES)
    summary = models.TextField(_("summary"), blank=True)
    description = RichTextField(_("description"), blank=True, features=["bold", "italic", "ol", "ul", "link"])
    synonyms = models.TextField(
        _("other names"),
        blank=True,
        help_text=_("Comma-separated words people use to find this profession (used by search)."),
    )

    objects = PageManager.from_queryset(ProfessionPageQuerySet)()

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("description"),
        FieldPanel("synonyms"),
        MultiFieldPanel(
            [
                FieldPanel("practice"),
                FieldPanel("reserved_titles"),
                FieldPanel("abbreviations"),
                FieldPanel("key"),
            ],
            heading=_("Facts"),
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("reserved_titles", boost=2),
        index.SearchField("abbreviations", boost=3),
        index.SearchField("synonyms", boost=2),
        index.SearchField("summary"),
        index.AutocompleteField("reserved_titles"),
        index.AutocompleteField("abbreviations"),
    ]
    parent_page_types = ["professions.OrderPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("profession")
        verbose_name_plural = _("professions")

    @property
    def reserved_title_list(self) -> list[str]:
        return [line.strip() for line in self.reserved_titles.splitlines() if line.strip()]

    @property
    def abbreviation_list(self) -> list[str]:
        return [item.strip() for item in self.abbreviations.split(",") if item.strip()]

    def structured_data(self, request, order: OrderPage) -> dict:
        """schema.org Occupation for search engines."""
        return {
            "@context": "https://schema.org",
            "@type": "Occupation",
            "name": self.title,
            "description": self.summary,
            "url": request.build_absolute_uri(self.get_url(request=request)),
            "occupationLocation": {"@type": "State", "name": "Québec"},
            "qualifications": str(practice_meaning(self.practice)),
            "hiringOrganization": {"@type": "Organization", "name": order.title},
        }

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        order = self.get_parent()  # the OrderPage routing came through (no query); a plain Page in previews
        if not isinstance(order, OrderPage):
            order = OrderPage.objects.select_related("sector").defer_streamfields().get(path=self.path[: -self.steplen])
        order_url = order.get_url(request)

        siblings = [card for card in order.profession_cards(request, order_url) if card["pk"] != self.pk]
        context.update(
            {
                "order": order,
                "order_url": order_url,
                "action_links": order.action_links(request),
                "related_professions": siblings,
                "profession_links": [{"key": self.key, "title": self.title}],
                "practice_meaning": practice_meaning(self.practice),
                "structured_data": self.structured_data(request, order),
            }
        )
        return context


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
        """Every live profession with its order, grouped by initial and sorted (two queries)."""
        index_page = OrderIndexPage.objects.live().first()
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
