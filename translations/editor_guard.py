"""Wagtail's page and snippet editors refuse a save that would remove English whose French is still there.

The form's instance holds what was stored (the latest revision for pages); the save's result is that
state with the submitted columns, its StreamFields paired with the French as the save will store
them (translations.pairs.sync_english). An English block deleted while its French block stays is
refused; a field or block left in the form with its text erased was emptied on purpose. The
loaders (home.loaders.apply_values) are held to the same rule through `refuse_lost_english_on_load`.
"""

import copy

from django.db import models

from home.loaders import LoadError
from translations.pairs import (
    column,
    is_tracked,
    lost_english,
    lost_message,
    object_texts,
    source_language,
    sync_english,
    target_languages,
    text_units,
    translated_fields,
)


def _submitted(instance: models.Model, cleaned_data: dict) -> models.Model:
    """A copy of the stored state with the submitted translated columns, paired as the save will store it."""
    after = copy.copy(instance)
    for name in translated_fields(type(instance)):
        for code in [source_language(), *target_languages()]:
            if column(name, code) in cleaned_data:
                setattr(after, column(name, code), cleaned_data[column(name, code)])
        if name in cleaned_data:  # a paired StreamField (one column)
            setattr(after, name, cleaned_data[name])
    return after


def _present(obj: models.Model, language: str) -> set[str]:
    """Every unit the object has in that language, with or without words."""
    return {unit for name in translated_fields(type(obj)) for unit, _text in text_units(obj, name, language)}


class EnglishKeptMixin:
    """Add a form error, and save nothing, when the save would remove English whose French remains."""

    def clean(self):
        cleaned_data = super().clean()
        instance = getattr(self, "instance", None)
        if instance is None or instance.pk is None or self.errors:
            return cleaned_data
        after = _submitted(instance, cleaned_data)
        languages = target_languages()
        # Units left in the form with their words erased: emptied on purpose.
        emptied = {language: _present(after, language) - set(object_texts(after, language)) for language in languages}
        sync_english(after)
        french = object_texts(after, source_language())
        for language in languages:
            lost = lost_english(
                object_texts(instance, language), object_texts(after, language), french, cleared=emptied[language]
            )
            if lost:
                self.add_error(None, lost_message(lost))
        return cleaned_data


def refuse_lost_english_on_load(sender, instance: models.Model, previous: dict, **kwargs) -> None:
    """home.loaders.values_applied: a loader may not remove English whose French remains (LoadError)."""
    if not is_tracked(sender):
        return
    before = copy.copy(instance)
    for attribute, value in previous.items():
        setattr(before, attribute, value)
    after = copy.copy(instance)
    sync_english(after)
    french = object_texts(after, source_language())
    for language in target_languages():
        lost = lost_english(object_texts(before, language), object_texts(after, language), french)
        if lost:
            raise LoadError(f"{instance}: {lost_message(lost)}")
