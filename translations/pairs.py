"""Each French text and its English, paired by identity: the one place the status, memory, workspace and
imports read the texts from, and the one rule that refuses to lose English.

A registered StreamField has a column per language (`body_fr`, `body_en`). An English block *is* the
French block with the same id, at every level (stream children and list items), so a French insert,
delete or move never shifts a translation onto another text. Whenever the English is written
(`english_stream`), it takes the French structure: French blocks keep their order, their
language-neutral values (numbers, URLs, dates, keys, choices, pages, images) are copied from the
French, the text leaves come from the English of the same id, and a French block with no English
words yet stays out of the English. English blocks written with ids the French does not know (a block
added in the English editor, data written before this rule) are given the id of the untranslated
French block of the same type at the same place once, when written (`pair_by_position`); the data
migration `translations/0005_pair_english_blocks` did the same for what was stored before.
"""

import copy
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.db import models
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from modeltranslation.translator import NotRegistered, translator
from wagtail import blocks
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

from translations.units import TEXT_BLOCKS, Unit, is_paired, set_stream_units, stream_units

# Routing columns, not content: a French slug change is handled by redirects, not by translators.
NOT_CONTENT = {"slug", "url_path"}


def source_language() -> str:
    return settings.MODELTRANSLATION_DEFAULT_LANGUAGE


def target_languages() -> list[str]:
    """Every language translated from the source language (English here)."""
    return [code for code, _name in settings.LANGUAGES if code != source_language()]


@cache
def tracked_models() -> tuple[type[models.Model], ...]:
    """Concrete translatable models: every registered page type and snippet except Wagtail's bare Page."""
    return tuple(
        model
        for model in translator.get_registered_models()
        if model is not Page and not model._meta.abstract and not model._meta.proxy
    )


def is_tracked(model: type[models.Model]) -> bool:
    return model in tracked_models()


def column(name: str, language: str) -> str:
    return f"{name}_{language}"


def translated_fields(model: type[models.Model]) -> list[str]:
    """Names of the model's translated content fields, in the model's field order."""
    try:
        registered = translator.get_options_for_model(model).all_fields
    except NotRegistered:
        return []
    paired = paired_fields(model)
    names = [field.name for field in model._meta.get_fields() if field.name in registered or field.name in paired]
    return [name for name in names if name not in NOT_CONTENT]


@cache
def paired_fields(model: type[models.Model]) -> tuple[str, ...]:
    """StreamFields holding both languages in each block (`text_fr` / `text_en`), such as the guide's steps."""
    try:
        options = translator.get_options_for_model(model)
    except NotRegistered:
        return ()
    columns = {column(name, code) for name in options.all_fields for code, _name in settings.LANGUAGES}
    return tuple(
        field.name
        for field in model._meta.get_fields()
        if isinstance(field, StreamField)
        and field.name not in options.all_fields
        and field.name not in columns
        and is_paired(field.stream_block)
    )


def stream_fields(model: type[models.Model]) -> list[str]:
    """The model's registered StreamFields (a column per language)."""
    paired = paired_fields(model)
    return [
        name
        for name in translated_fields(model)
        if name not in paired and isinstance(model._meta.get_field(name), StreamField)
    ]


def is_blank(text: str) -> bool:
    """True for "", whitespace, and rich text with no words such as '<p data-block-key="x"></p>'."""
    return not strip_tags(text or "").strip()


def raw_stream(obj: models.Model, name: str, language: str | None) -> list:
    """Raw StreamField data of a field in one language (`language=None`: the field's own, paired column)."""
    value = getattr(obj, name if language is None else column(name, language))
    if not value:
        return []
    if isinstance(value, list | tuple):
        return list(value)
    return list(value.stream_block.get_prep_value(value))


def field_units(obj: models.Model, name: str, language: str) -> list[Unit]:
    """The field's texts in that language: one unit, or one per StreamField text leaf (named by block ids)."""
    field = obj._meta.get_field(name)
    if name in paired_fields(type(obj)):
        return stream_units(field.stream_block, raw_stream(obj, name, None), name, language)
    if isinstance(field, StreamField):
        return stream_units(field.stream_block, raw_stream(obj, name, language), name)
    value = getattr(obj, column(name, language))
    kind = "rich" if isinstance(field, RichTextField) else "text" if isinstance(field, models.TextField) else "char"
    features = tuple(field.features) if kind == "rich" and getattr(field, "features", None) else None
    return [Unit(name, "" if value is None else str(value), kind, features=features)]


def text_units(obj: models.Model, name: str, language: str) -> list[tuple[str, str]]:
    """The field's text in that language as (unit id, text) pairs: one unit, or one per StreamField text block."""
    return [(unit.id, unit.text) for unit in field_units(obj, name, language)]


def object_texts(obj: models.Model, language: str) -> dict[str, str]:
    """Every non-empty text of the object in that language, by unit id (every translated field)."""
    return {
        unit_id: text
        for name in translated_fields(type(obj))
        for unit_id, text in text_units(obj, name, language)
        if not is_blank(text)
    }


# --- Writing the English: the French structure, the English words --------------------------------


def _assemble(block: blocks.Block, raw, path: str, texts: dict[str, str]) -> tuple:
    """(English raw value, whether it holds English words, whether its French holds words)."""
    if isinstance(block, TEXT_BLOCKS):
        text = texts.get(path, "")
        return text, not is_blank(text), isinstance(raw, str) and not is_blank(raw)
    if isinstance(block, blocks.StreamBlock) and isinstance(raw, list):
        kept, words, leaves = [], False, False
        for item in raw:
            child = block.child_blocks.get(item.get("type")) if isinstance(item, dict) else None
            if child is None:
                continue
            value, has_words, has_leaves = _assemble(child, item.get("value"), f"{path}.{item.get('id')}", texts)
            leaves = leaves or has_leaves
            if has_words or not has_leaves:  # blocks whose French words have no English yet stay out
                kept.append({**item, "value": value})
                words = words or has_words
        return kept, words, leaves
    if isinstance(block, blocks.StructBlock) and isinstance(raw, dict):
        result, words, leaves = dict(raw), False, False
        for name, child in block.child_blocks.items():
            if name not in raw:  # as stored: a child the French does not hold stays absent
                continue
            value, has_words, has_leaves = _assemble(child, raw.get(name), f"{path}.{name}", texts)
            result[name] = value
            words, leaves = words or has_words, leaves or has_leaves
        return result, words, leaves
    if isinstance(block, blocks.ListBlock) and isinstance(raw, list):
        child = block.child_block
        kept, words, leaves = [], False, False
        for index, item in enumerate(raw):
            if isinstance(item, dict) and "value" in item:
                value, has_words, has_leaves = _assemble(child, item["value"], f"{path}.{item.get('id', index)}", texts)
                entry = {**item, "value": value}
            else:
                value, has_words, has_leaves = _assemble(child, item, f"{path}.{index}", texts)
                entry = value
            leaves = leaves or has_leaves
            # An untranslated item made of several texts (a question, a step) stays out; a single text
            # (a chart's series) keeps its place so that rows of values still line up.
            if has_words or not has_leaves or not isinstance(child, blocks.StructBlock):
                kept.append(entry)
                words = words or has_words
        return kept, words, leaves
    return copy.deepcopy(raw), False, False


def english_stream(block: blocks.StreamBlock, french: list, path: str, texts: dict[str, str]) -> list:
    """The English raw data of a StreamField: the French blocks (same ids, same neutral values) with
    the English `texts` (by unit id) in their text leaves; blocks without English words left out."""
    return _assemble(block, french or [], path, texts)[0]


def _pair_items(french: list, english: list) -> list:
    """English items given the id of the French item at the same place and of the same type, when
    their own id is unknown to the French and that French item has no English yet."""
    french_ids = {item.get("id") for item in french if isinstance(item, dict)}
    taken = {item.get("id") for item in english if isinstance(item, dict)}
    paired = []
    for index, item in enumerate(english):
        if isinstance(item, dict) and item.get("id") not in french_ids and index < len(french):
            peer = french[index]
            if isinstance(peer, dict) and peer.get("type") == item.get("type") and peer.get("id") not in taken:
                taken.add(peer.get("id"))
                item = {**item, "id": peer.get("id")}
        paired.append(item)
    return paired


def pair_by_position(french, english):
    """A copy of English raw data whose unknown block ids are paired with the French ones (the old rule:
    same place, same type), at every level. Works on raw JSON alone, so migrations can use it."""
    if isinstance(french, list) and isinstance(english, list):
        if all(isinstance(item, dict) and "id" in item and "value" in item for item in english) and english:
            english = _pair_items(french, english)
            by_id = {item.get("id"): item for item in french if isinstance(item, dict)}
            return [
                {**item, "value": pair_by_position(by_id[item["id"]].get("value"), item.get("value"))}
                if item.get("id") in by_id
                else item
                for item in english
            ]
        return [
            pair_by_position(french[index], item) if index < len(french) else item for index, item in enumerate(english)
        ]
    if isinstance(french, dict) and isinstance(english, dict):
        return {key: pair_by_position(french.get(key), value) for key, value in english.items()}
    return copy.deepcopy(english)


def synced_stream(block: blocks.StreamBlock, french: list, english: list, path: str) -> list:
    """The English of a StreamField after a French save: paired with it, neutral values copied."""
    english = pair_by_position(french, english)
    texts = {unit.id: unit.text for unit in stream_units(block, english, path)}
    return english_stream(block, french, path, texts)


def sync_english(obj: models.Model) -> None:
    """Give every registered StreamField's translations the French structure and neutral values."""
    for name in stream_fields(type(obj)):
        block = obj._meta.get_field(name).stream_block
        french = raw_stream(obj, name, source_language())
        for language in target_languages():
            setattr(obj, column(name, language), synced_stream(block, french, raw_stream(obj, name, language), name))


def set_units(obj: models.Model, name: str, language: str, texts: dict[str, str]) -> None:
    """Write the translation of one field: the given texts by unit id, the others kept as they are."""
    field = obj._meta.get_field(name)
    if name in paired_fields(type(obj)):
        setattr(obj, name, set_stream_units(field.stream_block, raw_stream(obj, name, None), name, texts, language))
    elif isinstance(field, StreamField):
        current = dict(text_units(obj, name, language))
        current.update(texts)
        french = raw_stream(obj, name, source_language())
        setattr(obj, column(name, language), english_stream(field.stream_block, french, name, current))
    elif name in texts:
        setattr(obj, column(name, language), texts[name])


# --- The guard: no save loses English whose French is still there ---------------------------------


@dataclass(frozen=True)
class Lost:
    """An English text that a save would remove while its French is still there."""

    unit: str
    text: str


class EnglishLost(Exception):
    """A save would remove English text whose French still exists; nothing was written."""

    def __init__(self, lost: list[Lost]):
        self.lost = lost
        super().__init__(lost_message(lost))


def lost_english(before: dict[str, str], after: dict[str, str], french: dict[str, str], cleared=()) -> list[Lost]:
    """The English texts (by unit id) present `before`, gone `after`, whose French still exists.

    `cleared` names the units someone emptied on purpose (an input they erased): those are not lost.
    """
    return [
        Lost(unit, text)
        for unit, text in before.items()
        if not is_blank(text)
        and not is_blank(french.get(unit, ""))
        and is_blank(after.get(unit, ""))
        and unit not in cleared
    ]


def lost_message(lost: list[Lost]) -> str:
    """What the person is told, naming the texts (a few, then how many more)."""
    shown = [f"« {Truncator(strip_tags(item.text)).words(12)} »" for item in lost[:5]]
    if len(lost) > 5:
        shown.append(_("and %(count)d more") % {"count": len(lost) - 5})
    return _(
        "Nothing was saved: this would remove English text whose French is still there (%(texts)s). "
        "To remove a text, delete it in French, or empty its field on purpose."
    ) % {"texts": "; ".join(shown)}
