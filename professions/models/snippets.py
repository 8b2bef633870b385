"""The directory's snippets: sectors, a small translatable vocabulary."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.models import DraftStateMixin, RevisionMixin, WorkflowMixin
from wagtail.snippets.models import register_snippet


@register_snippet
class Sector(WorkflowMixin, DraftStateMixin, RevisionMixin, models.Model):
    """A group of orders used to filter the directory (e.g. health and human relations)."""

    key = models.SlugField(_("key"), unique=True, help_text=_("Stable identifier used in URLs and data files."))
    name = models.CharField(_("name"), max_length=120)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    panels = [FieldPanel("name"), FieldPanel("key"), FieldPanel("sort_order")]

    class Meta:
        ordering = ["sort_order", "key"]
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")

    def __str__(self) -> str:
        return self.name
