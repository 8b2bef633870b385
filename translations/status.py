"""Which fields are translated, what their text is, and whether a translation is missing or stale.

Everything is discovered from modeltranslation's registry, so page types and snippets added later
are covered without a list to maintain here.
"""

import hashlib
from functools import cache

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.html import strip_tags

from modeltranslation.translator import NotRegistered, translator
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

from translations.models import MISSING, STALE, UP_TO_DATE, TranslationRecord
from translations.units import Unit, align, drop_untranslated_blocks, is_paired, set_stream_units, stream_units

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


def translated_fields(model: type[models.Model]) -> list[str]:
    """Names of the model's translated content fields, in the model's field order."""
    try:
        registered = translator.get_options_for_model(model).all_fields
    except NotRegistered:
        return []
    paired = paired_fields(model)
    names = [field.name for field in model._meta.get_fields() if field.name in registered or field.name in paired]
    return [name for name in names if name not in NOT_CONTENT]


def is_required(model: type[models.Model], name: str) -> bool:
    field = model._meta.get_field(name)
    return not getattr(field, "blank", True)


def column(name: str, language: str) -> str:
    return f"{name}_{language}"


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


def raw_stream(obj: models.Model, name: str, language: str | None) -> list:
    """Raw StreamField data of a field in one language (`language=None`: the field's own, paired column)."""
    value = getattr(obj, name if language is None else column(name, language))
    if not value:
        return []
    return list(value.stream_block.get_prep_value(value))


def field_units(obj: models.Model, name: str, language: str) -> list[Unit]:
    """The field's texts in that language: one unit, or one per StreamField text leaf (ids aligned on French)."""
    field = obj._meta.get_field(name)
    if name in paired_fields(type(obj)):
        return stream_units(field.stream_block, raw_stream(obj, name, None), name, language)
    if isinstance(field, StreamField):
        raw = raw_stream(obj, name, language)
        if language != source_language():
            raw = align(field.stream_block, raw_stream(obj, name, source_language()), raw)
        return stream_units(field.stream_block, raw, name)
    value = getattr(obj, column(name, language))
    kind = "rich" if isinstance(field, RichTextField) else "text" if isinstance(field, models.TextField) else "char"
    features = tuple(field.features) if kind == "rich" and getattr(field, "features", None) else None
    return [Unit(name, "" if value is None else str(value), kind, features=features)]


def text_units(obj: models.Model, name: str, language: str) -> list[tuple[str, str]]:
    """The field's text in that language as (unit id, text) pairs: one unit, or one per StreamField text block."""
    return [(unit.id, unit.text) for unit in field_units(obj, name, language)]


def set_units(obj: models.Model, name: str, language: str, texts: dict[str, str], *, drop_empty: bool = False) -> None:
    """Write the translation of one field: a StreamField takes the French block structure.

    `drop_empty` leaves out of the English the blocks whose texts are all empty (not translated yet).
    """
    field = obj._meta.get_field(name)
    if name in paired_fields(type(obj)):
        setattr(obj, name, set_stream_units(field.stream_block, raw_stream(obj, name, None), name, texts, language))
    elif isinstance(field, StreamField):
        value = set_stream_units(field.stream_block, raw_stream(obj, name, source_language()), name, texts)
        if drop_empty:
            value = drop_untranslated_blocks(value, name, texts)
        setattr(obj, column(name, language), value)
    elif name in texts:
        setattr(obj, column(name, language), texts[name])


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


def source_unit_texts(obj: models.Model) -> dict[str, str]:
    """Every non-empty French text of the object by unit id (the reference of a translation, unit by unit)."""
    texts = {}
    for name in translated_fields(type(obj)):
        texts.update(
            {unit.id: unit.text for unit in field_units(obj, name, source_language()) if not is_blank(unit.text)}
        )
    return texts


def is_missing(obj: models.Model, language: str) -> bool:
    """Whether the page or snippet lacks (part of) its translation in that language."""
    return language != source_language() and bool(missing_fields(obj, language))


def _section_id(obj: models.Model) -> int | None:
    """The top-level section of a page: its ancestor just below the site's home page."""
    if not isinstance(obj, Page) or obj.depth < 3:
        return None
    path = obj.path[: Page.steplen * 3]
    return obj.pk if path == obj.path else Page.objects.filter(path=path).values_list("pk", flat=True).first()


def title_of(obj: models.Model) -> str:
    if isinstance(obj, Page):
        return getattr(obj, column("title", source_language())) or obj.title
    return str(obj)[:255]


def track(obj: models.Model, *, written: bool = False) -> list[TranslationRecord]:
    """Bring the object's records up to date after a save, one per target language.

    A save where the translation changed (and is not empty) counts as "the translation was
    written": the current French becomes its reference. Any later French change makes it stale.
    `written=True` says so whatever changed (the translator reviewed every field in the workspace).
    """
    from translations import memory

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
        has_target = any(target.values())
        if record is None or (has_target and (written or target_hashes != record.target_hashes)):
            record = record or TranslationRecord(content_type=content_type, object_id=str(obj.pk), language=language)
            record.source_hashes = source_hashes
            record.source_snapshot = source
            record.source_units = source_unit_texts(obj)
            record.target_hashes = target_hashes
            record.translated_at = timezone.now() if has_target else None
            if has_target:
                memory.remember(obj, content_type, language, title_of(obj))
        else:
            # A field tracked since the translation was written: its French of today is the reference.
            for name, digest in source_hashes.items():
                record.source_hashes.setdefault(name, digest)
                record.source_snapshot.setdefault(name, source[name])
        record.title = title_of(obj)
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
