"""Translation status of every translatable page and snippet, one row per object and language."""

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

MISSING = "missing"
STALE = "stale"
UP_TO_DATE = "up_to_date"
# Records written since statuses are kept text by text (older ones are recomputed after `migrate`).
RECORD_VERSION = 2
STATUS_CHOICES = [
    (MISSING, _("Missing")),
    (STALE, _("Out of date")),
    (UP_TO_DATE, _("Up to date")),
]


class TranslationRecordQuerySet(models.QuerySet):
    def for_report(self) -> "TranslationRecordQuerySet":
        """Records with their content type and section, for the admin report."""
        return self.select_related("content_type", "section")

    def counts_by_status(self) -> dict[str, int]:
        """How many records there are in each status (the dashboard panel)."""
        counts = dict.fromkeys(dict(STATUS_CHOICES), 0)
        for row in self.values("status").annotate(count=models.Count("pk")):
            counts[row["status"]] = row["count"]
        return counts


class TranslationRecord(models.Model):
    """Where one object stands in one target language, and the French it was translated from.

    `source_hashes` and `source_snapshot` hold the French of each field as it was when the
    translation was last saved: comparing them with the current French tells what went stale.
    `source_units` holds the same French text by text (one per StreamField block), for the workspace.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.CharField(max_length=255)
    language = models.CharField(max_length=10)
    title = models.CharField(max_length=255, blank=True)
    section = models.ForeignKey("wagtailcore.Page", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(max_length=20, choices=STATUS_CHOICES, default=MISSING)
    source_hashes = models.JSONField(default=dict)
    source_snapshot = models.JSONField(default=dict)
    source_units = models.JSONField(default=dict)
    target_hashes = models.JSONField(default=dict)
    missing_fields = models.JSONField(default=list)
    changed_fields = models.JSONField(default=list)
    translated_at = models.DateTimeField(null=True, blank=True)
    checked_at = models.DateTimeField(auto_now=True)
    version = models.PositiveSmallIntegerField(default=0)

    objects = TranslationRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("translation status")
        verbose_name_plural = _("translation statuses")
        ordering = ["title", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id", "language"], name="unique_translation_record")
        ]
        indexes = [models.Index(fields=["language", "status"])]

    def __str__(self) -> str:
        return f"{self.title} [{self.language}]"

    @property
    def model_class(self):
        return self.content_type.model_class()

    @property
    def is_page(self) -> bool:
        from wagtail.models import Page

        model = self.model_class
        return model is not None and issubclass(model, Page)

    def get_object(self):
        """The translated object (the specific page for pages), or None if it was deleted."""
        model = self.model_class
        return model._default_manager.filter(pk=self.object_id).first() if model else None


class MemoryEntry(models.Model):
    """One French text and the English written for it somewhere on the site: the translation memory.

    Rewritten for an object each time its translation is written (see status.track); the workspace
    suggests the English of entries whose French is identical or nearly so.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.CharField(max_length=255)
    language = models.CharField(max_length=10)
    unit = models.CharField(max_length=255)
    origin = models.CharField(max_length=255)
    source_text = models.TextField()
    source_words = models.TextField()
    source_key = models.CharField(max_length=16)
    length = models.PositiveIntegerField()
    target_text = models.TextField()
    written_at = models.DateTimeField()

    class Meta:
        verbose_name = _("translation memory entry")
        verbose_name_plural = _("translation memory")
        indexes = [
            models.Index(fields=["language", "source_key"]),
            models.Index(fields=["language", "length"]),
            models.Index(fields=["content_type", "object_id", "language"]),
        ]

    def __str__(self) -> str:
        return f"{self.origin} [{self.unit}]"
