"""Bring data stored before English blocks were paired by id up to today's rules, once.

`pair_stored_blocks` (the data migration `0005_pair_english_blocks`) gives every English block of
every registered StreamField the id of its French block, by the old rule (same place, same type),
on each page's and snippet's row and on its latest revision (its draft). `refresh_old_records`
(after every `migrate`) recomputes the records written before statuses were kept text by text, so a
database seeded before this change shows the same statuses as a fresh one.
"""

import json

from django.apps import apps as django_apps

from wagtail.fields import StreamField

from translations.models import RECORD_VERSION, TranslationRecord
from translations.pairs import pair_by_position, source_language, target_languages
from translations.status import latest_state, track


def _raw(value) -> list:
    """Raw JSON of a StreamField value (StreamValue, JSON text or list)."""
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return json.loads(value)
    raw_data = getattr(value, "raw_data", None)
    if raw_data is not None:
        return json.loads(json.dumps(list(raw_data), default=str))
    return list(value)


def _stream_names(model) -> list[str]:
    """Registered StreamFields of a (historical) model: a StreamField column in every language."""
    fields = {field.name: field for field in model._meta.local_fields}
    suffix = f"_{source_language()}"
    return [
        name.removesuffix(suffix)
        for name, field in fields.items()
        if name.endswith(suffix)
        and isinstance(field, StreamField)
        and all(f"{name.removesuffix(suffix)}_{code}" in fields for code in target_languages())
    ]


def pair_content(content: dict, names: list[str]) -> bool:
    """Pair the English of a revision's content in place; whether anything changed."""
    changed = False
    for name in names:
        french_key = f"{name}_{source_language()}"
        if french_key not in content:
            continue
        french = _raw(content[french_key])
        for code in target_languages():
            key = f"{name}_{code}"
            english = _raw(content.get(key))
            paired = pair_by_position(french, english)
            if paired != english:
                content[key] = json.dumps(paired) if isinstance(content[french_key], str) else paired
                changed = True
    return changed


def pair_stored_blocks(apps) -> int:
    """Pair the English blocks of every row and latest revision; how many rows or revisions changed."""
    content_types = apps.get_model("contenttypes", "ContentType")
    revisions = apps.get_model("wagtailcore", "Revision")
    count = 0
    for model in apps.get_models():
        names = _stream_names(model)
        if not names:
            continue
        content_type = content_types.objects.filter(
            app_label=model._meta.app_label, model=model._meta.model_name
        ).first()
        for obj in model._default_manager.all().iterator():
            updates = {}
            for name in names:
                french = _raw(getattr(obj, f"{name}_{source_language()}"))
                for code in target_languages():
                    english = _raw(getattr(obj, f"{name}_{code}"))
                    paired = pair_by_position(french, english)
                    if paired != english:
                        updates[f"{name}_{code}"] = paired
            if updates:
                for column, value in updates.items():
                    setattr(obj, column, value)
                obj.save(update_fields=list(updates))
                count += 1
            if content_type is None:
                continue
            revision = (
                revisions.objects.filter(content_type=content_type, object_id=str(obj.pk))
                .order_by("-created_at", "-pk")
                .first()
            )
            if revision is not None and isinstance(revision.content, dict) and pair_content(revision.content, names):
                revision.save(update_fields=["content"])
                count += 1
    return count


def refresh_old_records() -> int:
    """Recompute the records written before statuses were kept text by text (see TranslationRecord.version)."""
    count = 0
    for record in TranslationRecord.objects.filter(version__lt=RECORD_VERSION).iterator():
        obj = record.get_object()
        if obj is None:
            record.delete()
            continue
        obj = latest_state(getattr(obj, "specific", obj))
        track(obj)
        count += 1
    return count


def refresh_records_after_migrate(sender, **kwargs) -> None:
    """post_migrate (after the last app): recompute the records of an older format, if any."""
    if sender is list(django_apps.get_app_configs())[-1]:
        refresh_old_records()
