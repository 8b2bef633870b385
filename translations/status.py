"""Which fields are translated, what their text is, and whether a translation is missing or stale.

Everything is discovered from modeltranslation's registry, so page types and snippets added later
are covered without a list to maintain here.
"""

import copy
import hashlib
from functools import cache

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.html import strip_tags

from modeltranslation.translator import NotRegistered, translator
from wagtail import blocks
from wagtail.fields import StreamField
from wagtail.models import Page

from translations.models import MISSING, STALE, UP_TO_DATE, TranslationRecord

# Routing columns, not content: a French slug change is handled by redirects, not by translators.
NOT_CONTENT = {"slug", "url_path"}
TEXT_BLOCKS = (blocks.CharBlock, blocks.TextBlock, blocks.RichTextBlock)


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


def translated_fields(model: type[models.Model]) -> list[str]:
    """Names of the model's translated content fields, in the model's field order."""
    try:
        registered = translator.get_options_for_model(model).all_fields
    except NotRegistered:
        return []
    names = [field.name for field in model._meta.get_fields() if field.name in registered]
    return [name for name in names if name not in NOT_CONTENT]


def is_required(model: type[models.Model], name: str) -> bool:
    field = model._meta.get_field(name)
    return not getattr(field, "blank", True)


def column(name: str, language: str) -> str:
    return f"{name}_{language}"


def _stream_units(block: blocks.Block, raw, path: str) -> list[tuple[str, str]]:
    """(block path, text) of every text leaf of raw StreamField data."""
    if isinstance(block, TEXT_BLOCKS):
        return [(path, raw)] if isinstance(raw, str) else []
    units = []
    if isinstance(block, blocks.StreamBlock) and isinstance(raw, list):
        for item in raw:
            child = block.child_blocks.get(item.get("type"))
            if child is not None:
                units += _stream_units(child, item.get("value"), f"{path}.{item.get('id')}")
    elif isinstance(block, blocks.StructBlock) and isinstance(raw, dict):
        for name, child in block.child_blocks.items():
            units += _stream_units(child, raw.get(name), f"{path}.{name}")
    elif isinstance(block, blocks.ListBlock) and isinstance(raw, list):
        for index, item in enumerate(raw):
            if isinstance(item, dict) and "value" in item:
                units += _stream_units(block.child_block, item["value"], f"{path}.{item.get('id', index)}")
            else:
                units += _stream_units(block.child_block, item, f"{path}.{index}")
    return units


def _set_stream_units(block: blocks.Block, raw, path: str, texts: dict[str, str]):
    """Raw StreamField data with the text leaves found in `texts` replaced (a copy)."""
    if isinstance(block, TEXT_BLOCKS):
        return texts.get(path, raw) if isinstance(raw, str) else raw
    raw = copy.deepcopy(raw)
    if isinstance(block, blocks.StreamBlock) and isinstance(raw, list):
        for item in raw:
            child = block.child_blocks.get(item.get("type"))
            if child is not None:
                item["value"] = _set_stream_units(child, item.get("value"), f"{path}.{item.get('id')}", texts)
    elif isinstance(block, blocks.StructBlock) and isinstance(raw, dict):
        for name, child in block.child_blocks.items():
            raw[name] = _set_stream_units(child, raw.get(name), f"{path}.{name}", texts)
    elif isinstance(block, blocks.ListBlock) and isinstance(raw, list):
        for index, item in enumerate(raw):
            if isinstance(item, dict) and "value" in item:
                item_path = f"{path}.{item.get('id', index)}"
                item["value"] = _set_stream_units(block.child_block, item["value"], item_path, texts)
            else:
                raw[index] = _set_stream_units(block.child_block, item, f"{path}.{index}", texts)
    return raw


def raw_stream(obj: models.Model, name: str, language: str) -> list:
    value = getattr(obj, column(name, language))
    if not value:
        return []
    return list(value.stream_block.get_prep_value(value))


def text_units(obj: models.Model, name: str, language: str) -> list[tuple[str, str]]:
    """The field's text in that language as (unit id, text) pairs: one unit, or one per StreamField text block."""
    field = obj._meta.get_field(name)
    if isinstance(field, StreamField):
        return _stream_units(field.stream_block, raw_stream(obj, name, language), name)
    value = getattr(obj, column(name, language))
    return [(name, "" if value is None else str(value))]


def with_stream_units(obj: models.Model, name: str, texts: dict[str, str]) -> list:
    """The source-language StreamField data of `name` with its text leaves taken from `texts`."""
    field = obj._meta.get_field(name)
    return _set_stream_units(field.stream_block, raw_stream(obj, name, source_language()), name, texts)


def is_blank(text: str) -> bool:
    """True for "", whitespace, and rich text with no words such as '<p data-block-key="x"></p>'."""
    return not strip_tags(text or "").strip()


def field_texts(obj: models.Model, language: str) -> dict[str, str]:
    """Each translated field's text in that language ("" when empty); StreamField text blocks joined."""
    texts = {}
    for name in translated_fields(type(obj)):
        parts = [text for _unit, text in text_units(obj, name, language) if not is_blank(text)]
        texts[name] = "\n\n".join(parts)
    return texts


def fingerprint(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def has_text(obj: models.Model, name: str, language: str) -> bool:
    """Whether the field has any words in that language (it stops at the first text block that has some)."""
    return any(not is_blank(text) for _unit, text in text_units(obj, name, language))


def missing_fields(obj: models.Model, language: str) -> list[str]:
    """Fields required in that language and empty: the title, and every field the French fills.

    Public pages ask on every view (hreflang, fallback), so blank checks stop as soon as they can.
    """
    model = type(obj)
    return [
        name
        for name in translated_fields(model)
        if not has_text(obj, name, language)
        and (name == "title" or is_required(model, name) or has_text(obj, name, source_language()))
    ]


def is_missing(obj: models.Model, language: str) -> bool:
    """Whether the page or snippet lacks (part of) its translation in that language."""
    return language != source_language() and bool(missing_fields(obj, language))


def _section_id(obj: models.Model) -> int | None:
    """The top-level section of a page: its ancestor just below the site's home page."""
    if not isinstance(obj, Page) or obj.depth < 3:
        return None
    path = obj.path[: Page.steplen * 3]
    return obj.pk if path == obj.path else Page.objects.filter(path=path).values_list("pk", flat=True).first()


def _title(obj: models.Model) -> str:
    if isinstance(obj, Page):
        return getattr(obj, column("title", source_language())) or obj.title
    return str(obj)[:255]


def track(obj: models.Model) -> list[TranslationRecord]:
    """Bring the object's records up to date after a save, one per target language.

    A save where the translation changed (and is not empty) counts as "the translation was
    written": the current French becomes its reference. Any later French change makes it stale.
    """
    content_type = ContentType.objects.get_for_model(obj, for_concrete_model=True)
    source = field_texts(obj, source_language())
    source_hashes = {name: fingerprint(text) for name, text in source.items()}
    section_id = _section_id(obj)
    records = []
    for language in target_languages():
        target = field_texts(obj, language)
        target_hashes = {name: fingerprint(text) for name, text in target.items()}
        record = TranslationRecord.objects.filter(
            content_type=content_type, object_id=str(obj.pk), language=language
        ).first()
        if record is None or (target_hashes != record.target_hashes and any(target.values())):
            record = record or TranslationRecord(content_type=content_type, object_id=str(obj.pk), language=language)
            record.source_hashes = source_hashes
            record.source_snapshot = source
            record.target_hashes = target_hashes
            record.translated_at = timezone.now() if any(target.values()) else None
        record.title = _title(obj)
        record.section_id = section_id
        record.missing_fields = missing_fields(obj, language)
        record.changed_fields = [
            name for name, digest in source_hashes.items() if record.source_hashes.get(name) != digest
        ]
        if record.missing_fields:
            record.status = MISSING
        elif record.changed_fields:
            record.status = STALE
        else:
            record.status = UP_TO_DATE
        record.save()
        records.append(record)
    return records


def latest_state(obj: models.Model) -> models.Model:
    """The object as editors last saved it: its latest revision when it has drafts."""
    latest = getattr(obj, "get_latest_revision_as_object", None)
    return latest() if latest is not None else obj


def records_for(obj: models.Model) -> dict[str, TranslationRecord]:
    content_type = ContentType.objects.get_for_model(obj, for_concrete_model=True)
    records = TranslationRecord.objects.filter(content_type=content_type, object_id=str(obj.pk))
    return {record.language: record for record in records}
