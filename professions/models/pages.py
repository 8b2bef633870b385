"""The directory's detail pages: an order (*ordre professionnel*) and each profession it governs."""

from django.db import models
from django.utils import translation
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, PageManager
from wagtail.search import index

from home.blocks import BaseStreamBlock
from links.panels import CheckedURLPanel
from links.public import shown_url
from ops.cache import cached_fragment
from professions.models.mixins import DirectoryPageMixin
from professions.models.practice import MEMBER_QUALIFIERS, PRACTICE_CHOICES, practice_meaning
from professions.models.querysets import OrderPageQuerySet, ProfessionPageQuerySet
from professions.models.snippets import Sector


class OrderPage(DirectoryPageMixin, Page):
    """An *ordre professionnel* under the Code des professions, and what it does for the public."""

    key = models.SlugField(
        _("key"), unique=True, max_length=120, help_text=_("Stable identifier used by the data file.")
    )
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

    key = models.SlugField(
        _("key"), unique=True, max_length=120, help_text=_("Stable identifier used by the data file.")
    )
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
