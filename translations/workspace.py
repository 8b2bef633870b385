"""The translator's workspace: each French text on a row, the English input beside it.

Rows come from the same units as the status and XLIFF (a field, or a StreamField text leaf paired
by block id), so a French block without English is simply a row with an empty input.
"""

from dataclasses import dataclass, field

from django import forms
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail.fields import StreamField
from wagtail.models import DraftStateMixin

from translations import memory
from translations.diff import word_diff
from translations.models import TranslationRecord
from translations.pairs import (
    EnglishLost,
    field_units,
    is_blank,
    lost_english,
    object_texts,
    paired_fields,
    set_units,
    source_language,
    translated_fields,
)
from translations.rich_input import RichTextInputField
from translations.status import track

ROW_MISSING = "missing"
ROW_STALE = "stale"
ROW_UP_TO_DATE = "up_to_date"
ROW_STATUS_LABELS = {
    ROW_MISSING: gettext_lazy("To translate"),
    ROW_STALE: gettext_lazy("French changed"),
    ROW_UP_TO_DATE: gettext_lazy("Up to date"),
}


@dataclass
class Row:
    """One text to translate: the French, the English input's name, its status and what may help."""

    field: str
    unit: str
    label: str
    kind: str
    french: str
    english: str
    status: str
    features: tuple | None = None
    diff: list = field(default_factory=list)
    suggestions: list = field(default_factory=list)
    input_name: str = ""

    @property
    def status_label(self) -> str:
        return str(ROW_STATUS_LABELS[self.status])


@dataclass
class Section:
    """A field of the object with its rows (one, or one per StreamField text)."""

    name: str
    label: str
    rows: list[Row]


def _row_status(unit_id: str, french: str, english: str, field_name: str, record: TranslationRecord | None) -> tuple:
    if is_blank(english):
        return ROW_MISSING, []
    if record is None:
        return ROW_UP_TO_DATE, []
    if record.source_units:
        before = record.source_units.get(unit_id)
        if before is None:
            return ROW_STALE, word_diff("", french)
        return (ROW_STALE, word_diff(before, french)) if before != french else (ROW_UP_TO_DATE, [])
    if field_name in record.changed_fields:  # a record written before texts were kept one by one
        return ROW_STALE, word_diff(record.source_snapshot.get(field_name, ""), french)
    return ROW_UP_TO_DATE, []


def build_sections(obj: models.Model, language: str, record: TranslationRecord | None) -> list[Section]:
    """The object's fields with a row for each French text (and each English text left without French)."""
    sections = []
    counter = 0
    for name in translated_fields(type(obj)):
        model_field = obj._meta.get_field(name)
        label = str(model_field.verbose_name).capitalize()
        english = {unit.id: unit for unit in field_units(obj, name, language)}
        is_stream = isinstance(model_field, StreamField)
        rows = []
        for unit in field_units(obj, name, source_language()):
            target = english.get(unit.id)
            target_text = target.text if target else ""
            if is_blank(unit.text) and (is_stream or is_blank(target_text)) and name != "title":
                continue
            status, diff = _row_status(unit.id, unit.text, target_text, name, record)
            counter += 1
            rows.append(
                Row(
                    field=name,
                    unit=unit.id,
                    label=capfirst(unit.label) if unit.label else label,
                    kind=unit.kind,
                    french=unit.text,
                    english=target_text,
                    status=status,
                    features=unit.features,
                    diff=diff,
                    input_name=f"t{counter}",
                )
            )
        if rows:
            sections.append(Section(name, label, rows))
    return sections


def attach_suggestions(obj: models.Model, language: str, sections: list[Section]) -> None:
    """Suggestions from the translation memory for the rows to translate (one query for the whole object)."""
    rows = [row for section in sections for row in section.rows if row.status != ROW_UP_TO_DATE]
    found = memory.suggest(obj, language, [_FrenchUnit(row.unit, row.french) for row in rows])
    for row in rows:
        row.suggestions = [s for s in found.get(row.unit, []) if s.text != row.english]


@dataclass
class _FrenchUnit:
    id: str
    text: str


def _form_field(obj: models.Model, row: Row) -> forms.Field:
    label = _("English: %(label)s") % {"label": row.label}
    if row.kind == "rich":
        field = RichTextInputField(label=label, features=list(row.features) if row.features else None)
        # Draftail's editable area is named by the field's visible label (Wagtail's field.html gives it this id).
        field.widget.options = {**getattr(field.widget, "options", {}), "ariaLabelledBy": f"id_{row.input_name}-label"}
        return field
    max_length = None
    if row.field == row.unit and row.field not in paired_fields(type(obj)):
        max_length = getattr(obj._meta.get_field(row.field), "max_length", None)
    if row.kind == "text":
        return forms.CharField(
            label=label, required=False, max_length=max_length, widget=forms.Textarea(attrs={"rows": 3, "lang": "en"})
        )
    return forms.CharField(
        label=label, required=False, max_length=max_length, widget=forms.TextInput(attrs={"lang": "en"})
    )


def workspace_form(obj: models.Model, sections: list[Section], data=None, disabled: bool = False) -> forms.Form:
    """A form with one English input per row, named t1, t2… (unit ids never reach the form's names)."""
    form = forms.Form(data=data, initial={row.input_name: row.english for s in sections for row in s.rows})
    for section in sections:
        for row in section.rows:
            form_field = _form_field(obj, row)
            form_field.disabled = disabled
            form.fields[row.input_name] = form_field
    return form


def english_texts(form: forms.Form, sections: list[Section]) -> dict[str, dict[str, str]]:
    """The form's English by field, then by unit id."""
    texts = {}
    for section in sections:
        texts[section.name] = {row.unit: (form.cleaned_data.get(row.input_name) or "").strip() for row in section.rows}
    return texts


def save_translation(obj: models.Model, language: str, sections: list[Section], texts: dict, user) -> models.Model:
    """Write the English of every field shown and save it: a new draft revision (pages, snippets), never published.

    EnglishLost (nothing saved) when it would remove English the translator did not empty on purpose.
    """
    before = object_texts(obj, language)
    # Emptied on purpose: an input that showed English and comes back empty.
    cleared = {
        row.unit
        for section in sections
        for row in section.rows
        if not is_blank(row.english) and is_blank(texts[section.name].get(row.unit, ""))
    }
    for section in sections:
        field_texts = texts[section.name]
        if all(is_blank(text) for text in field_texts.values()) and not any(
            not is_blank(row.english) for row in section.rows
        ):
            continue  # nothing written, nothing there before: leave the field as it is
        set_units(obj, section.name, language, field_texts)
    lost = lost_english(before, object_texts(obj, language), object_texts(obj, source_language()), cleared)
    if lost:
        raise EnglishLost(lost)
    if isinstance(obj, DraftStateMixin):
        obj.save_revision(user=user, log_action=True)
    else:
        obj.save()
    track(obj, written=True)
    return obj
