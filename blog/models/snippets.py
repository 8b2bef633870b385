"""Small translated vocabularies of the blog: authors, categories and tags."""

from django.db import models
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.models import DraftStateMixin, RevisionMixin, WorkflowMixin
from wagtail.search import index


class TranslatedSlugMixin(models.Model):
    """A name with one URL slug per language, filled from the name when left empty."""

    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(
        _("slug"), max_length=100, blank=True, help_text=_("Part of the URL; made from the name if empty.")
    )

    panels = [FieldPanel("name"), FieldPanel("slug")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name or ""

    def save(self, *args, **kwargs):
        # Both slugs must exist: the routes look them up in the active language only.
        self.slug_fr = self.slug_fr or slugify(self.name_fr or "")
        self.slug_en = self.slug_en or slugify(self.name_en or self.name_fr or "")
        super().save(*args, **kwargs)


class BlogCategory(WorkflowMixin, DraftStateMixin, RevisionMixin, TranslatedSlugMixin, index.Indexed):
    """A broad theme of the campaign blog (« Comprendre », « Vos recours »…)."""

    class Meta:
        verbose_name = _("blog category")
        verbose_name_plural = _("blog categories")
        ordering = ["name_fr"]


class BlogTag(WorkflowMixin, DraftStateMixin, RevisionMixin, TranslatedSlugMixin, index.Indexed):
    """A keyword of the campaign blog (« syndic », « plainte »…)."""

    class Meta:
        verbose_name = _("blog tag")
        verbose_name_plural = _("blog tags")
        ordering = ["name_fr"]


class BlogAuthor(WorkflowMixin, DraftStateMixin, RevisionMixin, index.Indexed, models.Model):
    """A person or team signing blog posts."""

    name = models.CharField(_("name"), max_length=100)
    bio = models.TextField(_("biography"), blank=True)

    panels = [FieldPanel("name"), FieldPanel("bio")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        verbose_name = _("blog author")
        verbose_name_plural = _("blog authors")
        ordering = ["name_fr"]

    def __str__(self) -> str:
        return self.name or ""
