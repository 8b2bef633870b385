"""Translators change English text only, in Wagtail's editors as in the workspace.

For a translator (who is not also an editor or a moderator) every field of a page or snippet form
that is not English text is shown read-only: the French columns, URLs, keys, sort orders, choices,
page and image choosers. A value posted for one of them anyway is compared with the stored value
(normalised as the editor normalises it) and refused when it differs; an untouched French field
never causes a refusal. In English StreamFields the translator changes the words: every block keeps
the links, numbers and choices of a block that the French or the stored English already has.
"""

import copy
import json

from django import forms
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.forms.utils import flatatt
from django.utils.html import format_html, linebreaks
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _gettext
from django.utils.translation import gettext_lazy as _

from modeltranslation.translator import NotRegistered, translator
from wagtail import blocks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.blocks import BlockField
from wagtail.models import Page
from wagtail.utils.text import text_from_html

from translations.cleaning import without_block_keys
from translations.editor_guard import EnglishKeptMixin
from translations.roles import is_translator_only
from translations.status import column, paired_fields, source_language, target_languages, tracked_models
from translations.units import TEXT_BLOCKS, _language_suffix, stream_units

SOURCE_LOCKED_MESSAGE = _("Translators can change the English only. Ask an editor to change the French (%(fields)s).")
FIELD_LOCKED_MESSAGE = _("Translators cannot change this value: it is not English text. Ask an editor.")
BLOCKS_LOCKED_MESSAGE = _(
    "Translators change the words only: links, numbers, choices and pages stay as the French has them "
    "(%(blocks)s). Use « Translate side by side » for blocks the English lacks."
)
READ_ONLY_NOTE = _("Read-only for translators.")


def english_text_fields(model) -> set[str]:
    """The form fields a translator may change: each translated field's English columns, paired StreamFields."""
    try:
        names = translator.get_options_for_model(model).all_fields
    except NotRegistered:
        return set()
    editable = {column(name, language) for name in names if name != "url_path" for language in target_languages()}
    return editable | set(paired_fields(model))


class ReadOnlyDisplay(forms.Widget):
    """Shows a locked field's value as text; keeps the original widget to read a value posted anyway."""

    def __init__(self, form_field: forms.Field, original: forms.Widget):
        super().__init__()
        self.form_field = form_field
        self.original = original
        self.is_required = original.is_required

    def display(self, value) -> str:
        field = self.form_field
        if isinstance(field, BlockField):
            raw = field.block.get_prep_value(value) if value is not None and not isinstance(value, list) else value
            texts = [text_from_html(unit.text) for unit in stream_units(field.block, raw or [], "")]
            return "\n\n".join(text for text in texts if text.strip())
        if isinstance(field, forms.ModelMultipleChoiceField):
            pks = [getattr(item, "pk", item) for item in value or []]
            return ", ".join(str(item) for item in field.queryset.filter(pk__in=pks))
        if isinstance(field, forms.ModelChoiceField):
            pk = getattr(value, "pk", value)
            return str(field.queryset.filter(pk=pk).first() or "") if pk not in (None, "") else ""
        if isinstance(field, forms.BooleanField):
            return _gettext("Yes") if value else _gettext("No")
        if getattr(field, "choices", None):
            return str(dict(field.choices).get(value, value or ""))
        if hasattr(self.original, "converter"):
            return text_from_html(value or "")
        return "" if value is None else str(value)

    def render(self, name, value, attrs=None, renderer=None):
        attrs = {k: v for k, v in (attrs or {}).items() if k in ("id", "aria-describedby")}
        text = self.display(value).strip() or "—"
        return format_html(
            '<div class="w-field__textoutput" role="textbox" tabindex="0" aria-readonly="true"{}>{}</div>'
            '<p class="help">{}</p>',
            flatatt(attrs),
            mark_safe(linebreaks(text, autoescape=True)),  # noqa: S308 (each paragraph escaped)
            READ_ONLY_NOTE,
        )

    def value_from_datadict(self, data, files, name):
        try:
            return self.original.value_from_datadict(data, files, name)
        except (ValueError, TypeError, KeyError):  # the field is disabled: its initial value is used
            return None

    def use_required_attribute(self, initial):
        return False


def _rich_text(converter, html: str) -> str:
    """Rich text as the editor stores it after a round trip (what an untouched Draftail field posts)."""
    if not html:
        return ""
    return without_block_keys(converter.to_database_format(converter.from_database_format(html)))


def _converter(block: blocks.Block):
    try:
        return block.field.widget.converter
    except AttributeError:
        return None


def skeleton(block: blocks.Block, raw, blank=lambda name, child: False):
    """Raw StreamField data normalised for comparison: no block ids, rich text as the editor writes it.

    `blank(name, child)` says which text leaves to leave out (the texts a translator may change).
    """
    if isinstance(block, blocks.StreamBlock):
        items = []
        for item in raw or []:
            child = block.child_blocks.get(item.get("type"))
            if child is not None:
                items.append([item["type"], skeleton(child, item.get("value"), blank)])
        return items
    if isinstance(block, blocks.ListBlock):
        return [
            skeleton(block.child_block, item["value"] if isinstance(item, dict) and "value" in item else item, blank)
            for item in raw or []
        ]
    if isinstance(block, blocks.StructBlock):
        raw = raw if isinstance(raw, dict) else {}
        values = {}
        for name, child in block.child_blocks.items():
            if isinstance(child, TEXT_BLOCKS) and blank(name, child):
                continue
            value = raw[name] if name in raw else child.get_prep_value(child.get_default())
            values[name] = skeleton(child, value, blank)
        return values
    if isinstance(block, blocks.RichTextBlock):
        converter = _converter(block)
        return _rich_text(converter, raw or "") if converter else raw or ""
    if isinstance(block, TEXT_BLOCKS):
        return (raw or "").replace("\r\n", "\n").strip()
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        return float(raw)  # 11 stored, 11.0 posted back by a FloatBlock
    return "" if raw is None else raw


def _frozen(value) -> str:
    return json.dumps(value, sort_keys=True, default=str)


def _prep(block: blocks.Block, value) -> list:
    if value is None:
        return []
    return list(block.get_prep_value(value)) if not isinstance(value, list) else value


def _all_text(name, child) -> bool:
    return True


def _target_text(name, child) -> bool:
    return _language_suffix(name)[1] in target_languages()


class SourceLanguageGuardMixin:
    """Lock everything but English text for translators; refuse locked values posted anyway."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.locked_widgets = {}
        user = getattr(self, "for_user", None)
        if user is None or not is_translator_only(user):
            return
        model = self._meta.model
        editable = english_text_fields(model)
        for name, form_field in self.fields.items():
            if name in editable or not _is_model_field(model, name):
                continue
            self.locked_widgets[name] = form_field.widget
            form_field.disabled = True
            form_field.widget = ReadOnlyDisplay(form_field, form_field.widget)

    def clean(self):
        cleaned_data = super().clean()
        if not self.locked_widgets:
            return cleaned_data
        source_columns, other = [], []
        for name, widget in self.locked_widgets.items():
            if self._posted(name) and self._changed(name, widget):
                (source_columns if name.endswith(f"_{source_language()}") else other).append(name)
        if source_columns:
            labels = ", ".join(str(self.fields[name].label or name) for name in source_columns)
            for name in source_columns:
                self.add_error(name, SOURCE_LOCKED_MESSAGE % {"fields": labels})
        for name in other:
            self.add_error(name, FIELD_LOCKED_MESSAGE)
        self._check_english_blocks(cleaned_data)
        return cleaned_data

    def _posted(self, name: str) -> bool:
        key = self.add_prefix(name)
        if isinstance(self.fields[name], BlockField):
            return f"{key}-count" in self.data
        return key in self.data

    def _changed(self, name: str, widget: forms.Widget) -> bool:
        form_field = self.fields[name]
        stored = self.get_initial_for_field(form_field, name)
        try:
            posted = widget.value_from_datadict(self.data, self.files, self.add_prefix(name))
        except (ValueError, TypeError, KeyError):  # e.g. rich text that is not Draftail's JSON
            return True
        if isinstance(form_field, BlockField):
            try:
                value = form_field.clean(posted)
            except ValidationError:
                return True
            block = form_field.block
            return _frozen(skeleton(block, _prep(block, stored))) != _frozen(skeleton(block, _prep(block, value)))
        converter = getattr(widget, "converter", None)
        if converter is not None:
            return _rich_text(converter, stored or "") != _rich_text(converter, posted or "")
        if isinstance(stored, str) and isinstance(posted, str):
            return stored.replace("\r\n", "\n").strip() != posted.replace("\r\n", "\n").strip()
        unlocked = copy.copy(form_field)
        unlocked.disabled = False
        return unlocked.has_changed(stored, posted)

    def _check_english_blocks(self, cleaned_data: dict) -> None:
        """Each English (or paired) StreamField block keeps the non-text values of a block that exists."""
        model = self._meta.model
        for name, form_field in self.fields.items():
            if not isinstance(form_field, BlockField) or name in self.locked_widgets or name not in cleaned_data:
                continue
            block = form_field.block
            stored = _prep(block, self.get_initial_for_field(form_field, name))
            posted = _prep(block, cleaned_data[name])
            if name in paired_fields(model):  # one tree for both languages: only its English may change
                blank = _target_text
                known = {_frozen(skeleton(block, stored, blank))}
                items = [posted]
            else:  # each block: the links, numbers and choices of a French or stored English block
                blank = _all_text
                references = [*stored]
                source = column(_language_suffix(name)[0], source_language())
                if source in self.fields:
                    references += _prep(block, self.get_initial_for_field(self.fields[source], source))
                known = {_frozen(skeleton(block, [item], blank)) for item in references}
                items = [[item] for item in posted]
            refused = [raw for raw in items if _frozen(skeleton(block, raw, blank)) not in known]
            if refused:
                labels = sorted({str(block.child_blocks[item["type"]].label) for raw in refused for item in raw})
                self.add_error(name, BLOCKS_LOCKED_MESSAGE % {"blocks": ", ".join(labels) or name})


def _is_model_field(model, name: str) -> bool:
    try:
        model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return True


def guard_source_language_fields() -> None:
    """Give every translatable page type and snippet a form that applies SourceLanguageGuardMixin."""
    for model in tracked_models():
        base = model.__dict__.get("base_form_class") or getattr(model, "base_form_class", WagtailAdminModelForm)
        if issubclass(base, SourceLanguageGuardMixin):
            continue
        mixins = (SourceLanguageGuardMixin, EnglishKeptMixin)
        model.base_form_class = type(f"SourceGuarded{base.__name__}", (*mixins, base), {})
        if issubclass(model, Page):
            model.get_edit_handler.cache_clear()
