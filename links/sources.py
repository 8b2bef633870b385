"""Every external address the public site shows, and where it is written (page or snippet, field, language).

Found generically: URL fields, rich text and StreamFields of every live page type, snippet and
setting, in every language's column, so page types added later are covered without a list here.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from html import unescape

from django.apps import apps
from django.db import models

from modeltranslation.fields import TranslationField
from modeltranslation.translator import NotRegistered, translator
from wagtail.contrib.settings.models import BaseGenericSetting, BaseSiteSetting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, get_page_models
from wagtail.snippets.models import get_snippet_models

HREF = re.compile(r"""href\s*=\s*["'](https?://[^"'\s<>]+)["']""", re.IGNORECASE)
BARE_URL = re.compile(r"^https?://\S+$", re.IGNORECASE)
URL = "url"
RICH_TEXT = "rich_text"
STREAM = "stream"


@dataclass(frozen=True)
class LinkField:
    """A column that can hold external links."""

    name: str  # the column, e.g. "description_en"
    base: str  # the model field editors know, e.g. "description"
    language: str  # "" for an untranslated field
    kind: str
    label: str


@dataclass(frozen=True)
class LinkUse:
    """One external address written in one field of one page, snippet or setting."""

    url: str
    model: type[models.Model]
    object_id: int
    title: str
    field: LinkField

    @property
    def is_page(self) -> bool:
        return issubclass(self.model, Page)


def _kind(field: models.Field) -> str | None:
    if isinstance(field, StreamField):
        return STREAM
    if isinstance(field, RichTextField):
        return RICH_TEXT
    if isinstance(field, models.URLField):
        return URL
    return None


@cache
def link_fields(model: type[models.Model]) -> tuple[LinkField, ...]:
    """The model's own columns that may hold external links (Wagtail's Page fields excluded)."""
    try:
        translated = set(translator.get_options_for_model(model).all_fields)
    except NotRegistered:
        translated = set()
    found = []
    for field in model._meta.concrete_fields:
        kind = _kind(field)
        if kind is None or field.model is Page or field.name in translated:
            continue
        if isinstance(field, TranslationField):
            base, language = field.translated_field.name, field.language
        else:
            base, language = field.name, ""
        label = str(model._meta.get_field(base).verbose_name)
        found.append(LinkField(field.name, base, language, kind, label))
    return tuple(found)


def urls_in(kind: str, value) -> list[str]:
    """The external addresses in a field's value, in order, without repeats."""
    if not value:
        return []
    if kind == URL:
        found = [value] if BARE_URL.match(value) else []
    elif kind == RICH_TEXT:
        found = [unescape(match) for match in HREF.findall(str(value))]
    else:
        found = list(_stream_urls(_raw(value)))
    return list(dict.fromkeys(found))


def _raw(value):
    """A StreamField value as plain JSON-like data (lists, dicts, strings)."""
    return value.get_prep_value() if hasattr(value, "get_prep_value") else value


def _stream_urls(raw) -> Iterator[str]:
    if isinstance(raw, str):
        if BARE_URL.match(raw.strip()):
            yield raw.strip()
        else:
            yield from (unescape(match) for match in HREF.findall(raw))
    elif isinstance(raw, dict):
        for value in raw.values():
            yield from _stream_urls(value)
    elif isinstance(raw, list | tuple):
        for value in raw:
            yield from _stream_urls(value)


def _page_models() -> list[type[Page]]:
    return [model for model in get_page_models() if model is not Page and link_fields(model)]


def _other_models() -> list[type[models.Model]]:
    settings_models = [
        model
        for model in apps.get_models()
        if issubclass(model, BaseSiteSetting | BaseGenericSetting) and not model._meta.abstract
    ]
    return [model for model in [*get_snippet_models(), *settings_models] if link_fields(model)]


def source_models() -> list[type[models.Model]]:
    """Every page type, snippet and setting that holds links."""
    return [*_page_models(), *_other_models()]


def page_uses(model: type[Page], queryset=None) -> Iterator[LinkUse]:
    """Links of live pages of exactly this type (one query)."""
    fields = link_fields(model)
    queryset = model.objects.live().exact_type(model) if queryset is None else queryset
    for row in queryset.values("pk", "title_fr", *(field.name for field in fields)).order_by("path"):
        for field in fields:
            for url in urls_in(field.kind, row[field.name]):
                yield LinkUse(url, model, row["pk"], row["title_fr"], field)


def link_uses() -> list[LinkUse]:
    """Every external address shown by live pages, snippets and settings (one query per type)."""
    uses: list[LinkUse] = []
    for model in _page_models():
        uses.extend(page_uses(model))
    for model in _other_models():
        fields = link_fields(model)
        for instance in model._default_manager.all():
            for field in fields:
                for url in urls_in(field.kind, getattr(instance, field.name)):
                    uses.append(LinkUse(url, model, instance.pk, str(instance), field))
    return uses


def replace_url(kind: str, value, old: str, new: str):
    """The field's value with `old` replaced by `new` wherever it is a link (the one-click update)."""
    if kind == URL:
        return new if value == old else value
    if kind == RICH_TEXT:
        return _replace_href(value, old, new)
    return _replace_in_raw(_raw(value), old, new)


def _replace_href(html: str, old: str, new: str) -> str:
    def swap(match: re.Match) -> str:
        return match.group(0).replace(match.group(1), new) if unescape(match.group(1)) == old else match.group(0)

    return HREF.sub(swap, html)


def _replace_in_raw(raw, old: str, new: str):
    if isinstance(raw, str):
        return new if raw.strip() == old else _replace_href(raw, old, new)
    if isinstance(raw, dict):
        return {key: _replace_in_raw(value, old, new) for key, value in raw.items()}
    if isinstance(raw, list | tuple):
        return [_replace_in_raw(value, old, new) for value in raw]
    return raw
