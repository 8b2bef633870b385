"""Keep translations paired and records current whenever a translatable page or snippet is saved."""

import json

from django.db.models.signals import post_save, pre_save

from wagtail.models import Revision

from home.loaders import values_applied
from translations.editor_guard import refuse_lost_english_on_load
from translations.pairs import column, source_language, stream_fields, sync_english, synced_stream, target_languages
from translations.status import is_tracked, latest_state, track, translated_fields


def sync_saved_object(sender, instance, update_fields=None, raw=False, **kwargs) -> None:
    """Before a direct save: the English of each StreamField takes the French structure and neutral values."""
    if raw or not is_tracked(sender) or not stream_fields(sender):
        return
    if update_fields is not None and not any(
        name.startswith(field) for name in update_fields for field in stream_fields(sender)
    ):
        return
    sync_english(instance)


def _raw(value) -> list:
    if isinstance(value, str):
        return json.loads(value or "[]")
    return list(value or [])


def sync_revision(sender, instance: Revision, raw=False, **kwargs) -> None:
    """Before a revision is stored (every save in the editor, the workspace, an import or a loader):
    the same, on the revision's content, so drafts and what gets published are paired too."""
    model = instance.content_type.model_class() if instance.content_type_id else None
    if raw or model is None or not is_tracked(model) or not isinstance(instance.content, dict):
        return
    content = instance.content
    for name in stream_fields(model):
        french_key = column(name, source_language())
        if french_key not in content:
            continue
        block = model._meta.get_field(name).stream_block
        french = _raw(content[french_key])
        for language in target_languages():
            key = column(name, language)
            english = synced_stream(block, french, _raw(content.get(key)), name)
            content[key] = json.dumps(english) if isinstance(content[french_key], str) else english


def track_saved_object(sender, instance, created, update_fields=None, raw=False, **kwargs) -> None:
    """Pages and snippets saved directly (creation, publishing, snippets without revisions)."""
    if raw or not is_tracked(sender):
        return
    # save_revision() saves only bookkeeping columns; the revision handler sees the content.
    if update_fields is not None and not any(
        name.startswith(field) for name in update_fields for field in translated_fields(sender)
    ):
        return
    track(latest_state(instance))


def track_revision(sender, instance: Revision, created, raw=False, **kwargs) -> None:
    """A draft saved as a revision: its content is what translators work on."""
    if raw or not created:
        return
    model = instance.content_type.model_class()
    if model is not None and is_tracked(model):
        track(instance.as_object())


def connect() -> None:
    values_applied.connect(refuse_lost_english_on_load, dispatch_uid="translations_refuse_lost_english_on_load")
    pre_save.connect(sync_saved_object, dispatch_uid="translations_sync_saved_object")
    pre_save.connect(sync_revision, sender=Revision, dispatch_uid="translations_sync_revision")
    post_save.connect(track_saved_object, dispatch_uid="translations_track_saved_object")
    post_save.connect(track_revision, sender=Revision, dispatch_uid="translations_track_revision")
