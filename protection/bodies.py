"""Who to turn to when no professional order governs the occupation: other public bodies, and
occupations that no public body regulates. Both are translated snippets, loaded from
protection/data/other_bodies.json by `manage.py load_other_bodies` (called by seed_site)."""

from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.models import DraftStateMixin, PreviewableMixin, RevisionMixin, WorkflowMixin
from wagtail.snippets.models import register_snippet

from home.loaders import LoadError, LoadReport, loading, read_json, save_row

DATA_FILE = Path(__file__).resolve().parent / "data" / "other_bodies.json"
LANGUAGES = ("fr", "en")
WORDS_HELP = _("One per line: the words people use for these occupations (e.g. « courtier immobilier »).")


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class AnswerPreviewMixin(PreviewableMixin):
    """Preview a draft as the guide and search answers show it, in French or in English."""

    default_preview_mode = settings.LANGUAGE_CODE

    @property
    def preview_modes(self) -> list[tuple[str, str]]:
        return list(settings.LANGUAGES)

    def get_preview_template(self, request, mode_name):
        return "protection/body_preview.html"

    def get_preview_context(self, request, mode_name):
        context = super().get_preview_context(request, mode_name)
        context["bodies"] = [self] if isinstance(self, OtherBody) else []
        context["unregulated"] = [self] if isinstance(self, UnregulatedOccupation) else []
        return context

    def serve_preview(self, request, mode_name):
        language = mode_name if mode_name in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        with translation.override(language):
            response = super().serve_preview(request, mode_name)
            response.render()
        return response


@register_snippet
class OtherBody(WorkflowMixin, AnswerPreviewMixin, DraftStateMixin, RevisionMixin, models.Model):
    """A public body that is *not* a professional order (e.g. the OACIQ for real-estate brokers)."""

    key = models.SlugField(
        _("key"), unique=True, max_length=80, help_text=_("Stable identifier used by the data file.")
    )
    name = models.CharField(_("name"), max_length=255)
    gloss = models.CharField(
        _("explanation of the name"),
        max_length=255,
        blank=True,
        help_text=_("Where the body has no official name in this language."),
    )
    acronym = models.CharField(_("acronym"), max_length=40, blank=True)
    website = models.URLField(_("website"), blank=True)
    handles = models.TextField(_("what the public can bring to it"))
    occupations = models.TextField(_("occupations it covers"), help_text=WORDS_HELP)
    words = models.TextField(
        _("other words"),
        blank=True,
        help_text=_("One per line: other words that lead to this body (« CLSC », « police »)."),
    )
    sort_order = models.PositiveSmallIntegerField(_("order in the answers"), default=0)

    panels = [
        FieldPanel("name"),
        FieldPanel("gloss"),
        FieldPanel("acronym"),
        FieldPanel("website"),
        FieldPanel("handles"),
        FieldPanel("occupations"),
        FieldPanel("words"),
        FieldPanel("sort_order"),
        FieldPanel("key"),
    ]

    class Meta:
        ordering = ["sort_order", "key"]
        verbose_name = _("body that is not an order")
        verbose_name_plural = _("bodies that are not orders")

    def __str__(self) -> str:
        return f"{self.name} ({self.acronym})" if self.acronym else self.name

    def search_words(self) -> list[tuple[str, str]]:
        """(language, phrase): every occupation and word, in both languages (people mix them)."""
        return [
            (language, word)
            for language in LANGUAGES
            for field in ("occupations", "words")
            for word in _lines(getattr(self, f"{field}_{language}"))
        ]


@register_snippet
class UnregulatedOccupation(WorkflowMixin, AnswerPreviewMixin, DraftStateMixin, RevisionMixin, models.Model):
    """An occupation that no professional order and no public body regulates (e.g. massage therapy)."""

    key = models.SlugField(
        _("key"), unique=True, max_length=80, help_text=_("Stable identifier used by the data file.")
    )
    name = models.CharField(_("occupation"), max_length=255)
    summary = models.TextField(_("what to know"))
    words = models.TextField(_("words people use"), help_text=WORDS_HELP)

    panels = [FieldPanel("name"), FieldPanel("summary"), FieldPanel("words"), FieldPanel("key")]

    class Meta:
        ordering = ["key"]
        verbose_name = _("occupation without an order")
        verbose_name_plural = _("occupations without an order")

    def __str__(self) -> str:
        return self.name

    def search_words(self) -> list[tuple[str, str]]:
        """(language, phrase) for every word people use, in both languages."""
        return [(language, word) for language in LANGUAGES for word in _lines(getattr(self, f"words_{language}"))]


# --- Loading -----------------------------------------------------------------------------------


class OtherBodiesDataError(LoadError):
    """The data file is malformed; the message names the record and the field."""


BODY_FIELDS = {"name": True, "handles": True, "gloss": False, "occupations": True, "words": False}
OCCUPATION_FIELDS = {"name": True, "summary": True, "words": True}


def _values(where: str, record: dict, fields: dict[str, bool]) -> dict[str, str]:
    """The record's translated values as model field values (lists become one item per line)."""
    values = {}
    for field, required in fields.items():
        for language in LANGUAGES:
            value = record.get(f"{field}_{language}", "")
            if isinstance(value, list):
                value = "\n".join(str(item).strip() for item in value)
            if not isinstance(value, str):
                raise OtherBodiesDataError(f"{where}: '{field}_{language}' must be text or a list of text")
            if required and language == "fr" and not value.strip():
                raise OtherBodiesDataError(f"{where}: '{field}_fr' is required")
            values[f"{field}_{language}"] = value.strip()
    return values


def load_other_bodies_data(data: dict, *, overwrite: bool = False) -> LoadReport:
    """Create or update every body and unregulated occupation of the data, in one transaction."""
    if not isinstance(data, dict) or not isinstance(data.get("bodies"), list):
        raise OtherBodiesDataError("the file needs a list 'bodies' (and may have a list 'unregulated')")
    records = []
    for index, record in enumerate(data["bodies"]):
        where = f"bodies[{index}]"
        if not isinstance(record, dict) or not record.get("key"):
            raise OtherBodiesDataError(f"{where}: 'key' is required")
        values = _values(f"{where} ({record['key']})", record, BODY_FIELDS)
        values.update(
            acronym=str(record.get("acronym") or ""), website=str(record.get("website") or ""), sort_order=index
        )
        records.append((OtherBody, record["key"], values))
    for index, record in enumerate(data.get("unregulated") or []):
        where = f"unregulated[{index}]"
        if not isinstance(record, dict) or not record.get("key"):
            raise OtherBodiesDataError(f"{where}: 'key' is required")
        records.append(
            (UnregulatedOccupation, record["key"], _values(f"{where} ({record['key']})", record, OCCUPATION_FIELDS))
        )
    report = LoadReport()
    with loading():
        for model, key, values in records:
            instance = model.objects.filter(key=key).first() or model(key=key)
            save_row(instance, values, overwrite=overwrite, report=report, label=key)
    return report


def load_other_bodies_file(path: Path = DATA_FILE, *, overwrite: bool = False) -> LoadReport:
    """Read the data file, validate it, then load it in one transaction."""
    return load_other_bodies_data(read_json(path, OtherBodiesDataError), overwrite=overwrite)
