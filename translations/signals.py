"""Keep translation records current whenever a translatable page or snippet is saved."""

from django.db.models.signals import post_save

from wagtail.models import Revision

from translations.status import is_tracked, latest_state, track, translated_fields


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
    post_save.connect(track_saved_object, dispatch_uid="translations_track_saved_object")
    post_save.connect(track_revision, sender=Revision, dispatch_uid="translations_track_revision")
