"""Whether each translation is missing or stale, text by text, and the records the report and dashboard read.

The texts come from translations.pairs (French and English paired by block id). A translation is
*missing* when a French text has no English, *stale* when the French of a text changed since its
English was written. The record keeps, for each English text, the French it was written from
(`source_units`) and a hash of the English (`target_hashes`), so the status survives drafts,
revisions and restarts, and a field's status is about that field only.
"""

import hashlib

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from wagtail.models import Page

from translations import memory
from translations.models import MISSING, RECORD_VERSION, STALE, UP_TO_DATE, TranslationRecord
from translations.pairs import (  # noqa: F401 (re-exported: the status's vocabulary)
    NOT_CONTENT,
    column,
    field_units,
    is_blank,
    is_tracked,
    object_texts,
    paired_fields,
    raw_stream,
    set_units,
    source_language,
    target_languages,
    text_units,
    tracked_models,
    translated_fields,
)


def is_required(model: type[models.Model], name: str) -> bool:
    field = model._meta.get_field(name)
    return not getattr(field, "blank", True)


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


def title_of(obj: models.Model) -> str:
    if isinstance(obj, Page):
        return getattr(obj, column("title", source_language())) or obj.title
    return str(obj)[:255]


def _field_of(unit: str) -> str:
    return unit.split(".", 1)[0]


def _fields_of(units: list[str], order: list[str]) -> list[str]:
    found = {_field_of(unit) for unit in units}
    return [name for name in order if name in found]


def unit_status(french: dict[str, str], english: dict[str, str], references: dict[str, str]) -> tuple[list, list]:
    """(missing units, stale units): French texts without English, and English written from other French."""
    missing = [unit for unit in french if unit not in english]
    stale = [unit for unit in french if unit in english and references.get(unit) != french[unit]]
    return missing, stale


def track(obj: models.Model, *, written: bool = False) -> list[TranslationRecord]:
    """Bring the object's records up to date after a save, one per target language, text by text.

    An English text that changed (or appeared) was written from the French of this moment: that
    French becomes its reference. `written=True` says every English text was reviewed now (the
    translator saved the workspace, where every text is shown beside its French).
    """
    content_type = ContentType.objects.get_for_model(obj, for_concrete_model=True)
    fields = translated_fields(type(obj))
    french = object_texts(obj, source_language())
    source = field_texts(obj, source_language())
    section_id = _section_id(obj)
    records = []
    for language in target_languages():
        english = object_texts(obj, language)
        record = TranslationRecord.objects.filter(
            content_type=content_type, object_id=str(obj.pk), language=language
        ).first() or TranslationRecord(content_type=content_type, object_id=str(obj.pk), language=language)
        references, hashes = dict(record.source_units or {}), dict(record.target_hashes or {})
        if record.pk and record.version < RECORD_VERSION:
            # A record of the older format kept each plain field's French in its snapshot.
            for name, text in (record.source_snapshot or {}).items():
                references.setdefault(name, text)
        changed = False
        for unit, text in english.items():
            digest = fingerprint(text)
            if written or hashes.get(unit) != digest:
                # A text known before (its English rewritten) follows today's French; a text first
                # seen keeps the French a record written before this rule kept for it.
                keep = not written and unit not in hashes and unit in references
                references[unit] = references[unit] if keep else french.get(unit, "")
                changed = changed or hashes.get(unit) != digest or written
                hashes[unit] = digest
        record.source_units = {unit: references.get(unit, french.get(unit, "")) for unit in english}
        record.target_hashes = {unit: hashes[unit] for unit in english}
        if changed:
            record.translated_at = timezone.now()
            memory.remember(obj, content_type, language, title_of(obj))
        missing, stale = unit_status(french, english, record.source_units)
        record.title = title_of(obj)
        record.section_id = section_id
        record.missing_fields = _fields_of(missing, fields)
        record.changed_fields = _fields_of(stale, fields)
        record.source_hashes = {name: fingerprint(text) for name, text in source.items()}
        record.source_snapshot = {
            name: "\n\n".join(ref for unit, ref in record.source_units.items() if _field_of(unit) == name and ref)
            for name in fields
        }
        record.status = MISSING if missing else STALE if stale else UP_TO_DATE
        record.version = RECORD_VERSION
        record.save()
        records.append(record)
    return records


def recount(obj: models.Model, record: TranslationRecord) -> tuple[str, list[str], list[str]]:
    """The record's status computed from scratch (status, missing fields, changed fields): what the
    stored record must say."""
    fields = translated_fields(type(obj))
    french = object_texts(obj, source_language())
    missing, stale = unit_status(french, object_texts(obj, record.language), record.source_units)
    status = MISSING if missing else STALE if stale else UP_TO_DATE
    return status, _fields_of(missing, fields), _fields_of(stale, fields)


def latest_state(obj: models.Model) -> models.Model:
    """The object as editors last saved it: its latest revision when it has drafts."""
    latest = getattr(obj, "get_latest_revision_as_object", None)
    return latest() if latest is not None else obj


def records_for(obj: models.Model) -> dict[str, TranslationRecord]:
    content_type = ContentType.objects.get_for_model(obj, for_concrete_model=True)
    records = TranslationRecord.objects.filter(content_type=content_type, object_id=str(obj.pk))
    return {record.language: record for record in records}
