"""The search index (one row per live page and language) and its words, editors' synonyms, unanswered queries."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.models import DraftStateMixin, RevisionMixin, WorkflowMixin
from wagtail.snippets.models import register_snippet

PROFESSION = "profession"
ORDER = "order"
EXPLAINER = "explainer"
BLOG_POST = "blog_post"
PAGE = "page"
KIND_CHOICES = [
    (PROFESSION, _("Profession")),
    (ORDER, _("Professional order")),
    (EXPLAINER, _("Explainer")),
    (BLOG_POST, _("Blog post")),
    (PAGE, _("Page")),
]


class SearchEntry(models.Model):
    """What search knows about one live page in one language, rebuilt from the page on publish.

    Each row also holds the other language's names, so "lawyer" finds Avocat on the French site.
    On PostgreSQL the table has two more objects that the model does not declare (see
    search/database.py): a generated, weighted `document` tsvector and trigram indexes.
    """

    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    language = models.CharField(max_length=2)
    kind = models.CharField(max_length=20, choices=KIND_CHOICES)
    title = models.CharField(max_length=255)
    url = models.CharField(max_length=1000)
    summary = models.TextField(blank=True)
    order_title = models.CharField(max_length=255, blank=True, help_text="The order governing a profession.")
    # Searched text, strongest first: names in this language, codes, the other language, body text.
    names = models.TextField(blank=True)
    codes = models.TextField(blank=True)
    other_names = models.TextField(blank=True)
    body = models.TextField(blank=True)
    # Accent-free forms for exact, prefix and typo matching (see home.language.normalize).
    norm_title = models.CharField(max_length=255)
    terms = models.TextField(blank=True, help_text="|name|name|… every name and code, normalized.")
    normalized = models.TextField(blank=True, help_text="Space-prefixed words of the names and codes.")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["page", "language"], name="search_entry_page_language")]
        indexes = [models.Index(fields=["language", "kind"])]

    def __str__(self) -> str:
        return f"{self.title} ({self.language})"


class SearchWord(models.Model):
    """One distinct word of the entries' names and codes in one language (their `normalized` text).

    Typo matching corrects what people type against these few thousand words first (a trigram index
    on PostgreSQL, see search/database.py), then matches the corrected names exactly, instead of
    comparing every name of every entry. Kept by search.indexing; a word left by a renamed page only
    leads to a name that no entry has, until the next rebuild.
    """

    language = models.CharField(max_length=2)
    word = models.TextField()  # text, not varchar: the trigram index applies to text

    class Meta:
        constraints = [models.UniqueConstraint(fields=["language", "word"], name="search_word_language_word")]

    def __str__(self) -> str:
        return f"{self.word} ({self.language})"


@register_snippet
class SearchSynonym(WorkflowMixin, DraftStateMixin, RevisionMixin, models.Model):
    """Words people type that should also search for other words (e.g. "toubib" → "médecin")."""

    term = models.CharField(_("when people search for"), max_length=100)
    expansions = models.CharField(
        _("also search for"),
        max_length=255,
        help_text=_("Comma-separated words or phrases, e.g. “médecin, omnipraticien”."),
    )

    panels = [FieldPanel("term"), FieldPanel("expansions")]

    class Meta:
        ordering = ["term"]
        verbose_name = _("search synonym")
        verbose_name_plural = _("search synonyms")

    def __str__(self) -> str:
        return f"{self.term} → {self.expansions}"

    @property
    def expansion_list(self) -> list[str]:
        return [item.strip() for item in self.expansions.split(",") if item.strip()]


class UnansweredQuery(models.Model):
    """A search that got no answer (nothing understood, with or without results), counted so editors can
    add words to the guide's situations, synonyms or promotions."""

    query_string = models.CharField(_("search terms"), max_length=255)
    language = models.CharField(_("language"), max_length=2)
    hits = models.PositiveIntegerField(_("searches"), default=0)
    has_results = models.BooleanField(_("results found"), default=False)
    last_searched_at = models.DateTimeField(_("last searched"), auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["query_string", "language"], name="search_unanswered_query_language")
        ]
        verbose_name = _("question without an answer")
        verbose_name_plural = _("questions without an answer")

    def __str__(self) -> str:
        return self.query_string
