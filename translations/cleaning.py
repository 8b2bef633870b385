"""Imported translations cleaned the way Wagtail's editor cleans what it saves.

An XLIFF or zip import writes text no editor typed. Rich text goes through the editor's own
machinery (Draftail's contentstate round trip with the field's or block's `features`), so only the
formatting the editor offers there survives; links keep http(s), mailto and internal pages only.
Plain text stays plain text. Each text that lost something is reported, so the translator knows.
"""

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from bs4 import BeautifulSoup, Comment
from draftjs_exporter.error import ExporterException

from django.db import models
from django.utils.html import format_html, strip_tags
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from wagtail.admin.rich_text.converters.contentstate import ContentstateConverter
from wagtail.fields import StreamField
from wagtail.rich_text import features as feature_registry

from translations.status import field_units, paired_fields, source_language, translated_fields
from translations.units import Unit

# Longest text accepted for a text without a column limit (the site's longest paragraph is far below).
MAX_TEXT = 20_000
# Elements whose content is code or foreign markup, never words: dropped with their content.
DROPPED_WITH_CONTENT = (
    "script",
    "style",
    "template",
    "iframe",
    "frame",
    "frameset",
    "object",
    "applet",
    "svg",
    "math",
    "noscript",
    "link",
    "meta",
    "base",
    "head",
    "title",
    "textarea",
    "select",
)
LINK_SCHEMES = ("http", "https", "mailto")
SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):")
# What the editor writes for each kind of tag, so "<strong>" kept as "<b>" is not reported.
SAME_TAG = {"strong": "b", "em": "i"}
# Attributes the editor writes itself; any other one on an imported tag is removed.
EDITOR_ATTRIBUTES = {"href", "linktype", "id", "embedtype", "format", "alt", "url", "data-block-key"}
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


class TooLong(Exception):
    """A text longer than its field allows: the import is refused."""


@dataclass(frozen=True)
class Cleaned:
    """A text of the import that lost something, and what."""

    unit: str
    label: str
    removed: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.label} ({', '.join(self.removed)})"


def _is_allowed_link(url: str) -> bool:
    compact = re.sub(r"[\x00-\x20\x7f-\xa0`]+", "", url).lower()
    match = SCHEME.match(compact)
    return match is None or match.group(1) in LINK_SCHEMES


def _drop_foreign(soup: BeautifulSoup) -> bool:
    """Remove code and foreign markup; whether there were comments (removed too)."""
    comments = soup.find_all(string=lambda text: isinstance(text, Comment))
    for comment in comments:
        comment.extract()
    for tag in soup.find_all(DROPPED_WITH_CONTENT):
        tag.decompose()
    for tag in soup.find_all("embed"):
        if not tag.get("embedtype"):
            tag.decompose()
    for link in soup.select("a a"):
        link.unwrap()  # a link inside a link: the editor has no such thing
    return bool(comments)


def _drop_unsafe_references(soup: BeautifulSoup) -> None:
    """Links and embeds the editor could not have written: internal ones to no id, other schemes."""
    for link in soup.find_all("a"):
        if link.get("linktype"):
            if link["linktype"] not in ("page", "document") or not str(link.get("id", "")).isdigit():
                link.unwrap()
        elif not _is_allowed_link(link.get("href") or "javascript:"):
            link.unwrap()
    for embed in soup.find_all("embed"):
        kind = embed.get("embedtype")
        if not (
            (kind == "image" and str(embed.get("id", "")).isdigit())
            or (kind == "media" and re.match(r"https?://", embed.get("url", ""), re.I))
        ):
            embed.decompose()


def _signature(soup: BeautifulSoup) -> tuple[Counter, Counter]:
    tags, attributes = Counter(), Counter()
    for tag in soup.find_all(True):
        name = SAME_TAG.get(tag.name, tag.name)
        if name not in ("p", "br"):
            tags[name] += 1
        for attribute, value in tag.attrs.items():
            if attribute not in EDITOR_ATTRIBUTES:
                attributes[attribute] += 1
            elif attribute == "href" and not _is_allowed_link(str(value)):
                attributes[f"{str(value).split(':', 1)[0].strip().lower()}:"] += 1
    return tags, attributes


# Draftail draws new random block keys at each conversion: noise, not a change.
BLOCK_KEY = re.compile(r'\sdata-block-key="[^"]*"')


def without_block_keys(html: str) -> str:
    """Rich text without Draftail's random block keys, to compare two conversions."""
    return BLOCK_KEY.sub("", html)


def _clean_once(html: str, converter: ContentstateConverter) -> tuple[BeautifulSoup, bool]:
    """One pass of the editor's round trip over markup stripped of what it must never see."""
    before = BeautifulSoup(html, "html.parser")
    had_comments = _drop_foreign(before)
    _drop_unsafe_references(before)
    try:
        cleaned = converter.to_database_format(converter.from_database_format(str(before)))
    except (AssertionError, ValueError, KeyError, TypeError, IndexError, ExporterException):
        # Markup the editor's parser cannot follow: keep its words only, one paragraph per line.
        lines = [line for line in before.get_text("\n").split("\n") if line.strip()]
        words = "".join(format_html("<p>{}</p>", line) for line in lines)
        cleaned = converter.to_database_format(converter.from_database_format(words))
    after = BeautifulSoup(cleaned, "html.parser")
    _drop_unsafe_references(after)
    for paragraph in after.find_all("p"):
        if not paragraph.get_text(strip=True) and not paragraph.find(True):
            paragraph.decompose()
    return after, had_comments


def clean_rich_text(html: str, features: list[str] | None) -> tuple[str, tuple[str, ...]]:
    """The HTML as the editor with those features would save it, and what was removed."""
    html = CONTROL.sub("", html)
    tags_before, attributes_before = _signature(BeautifulSoup(html, "html.parser"))
    converter = ContentstateConverter(features if features is not None else feature_registry.get_default_features())
    after, had_comments = _clean_once(html, converter)
    # Odd nesting (empty items between lists) can take another pass to settle: a cleaned text
    # comes out of the next cleaning unchanged.
    for _round in range(3):
        again, _comments = _clean_once(str(after), converter)
        if without_block_keys(str(again)) == without_block_keys(str(after)):
            break
        after = again
    tags_after, attributes_after = _signature(after)
    removed = [f"<{name}>" for name in sorted(tags_before - tags_after)]
    removed += [name if name.endswith(":") else f"{name}=" for name in sorted(attributes_before - attributes_after)]
    if had_comments:
        removed.append("<!-- -->")
    return str(after), tuple(removed)


def clean_plain_text(text: str, kind: str) -> tuple[str, tuple[str, ...]]:
    """Plain text without markup or control characters (and on one line for a one-line input)."""
    removed = []
    cleaned = CONTROL.sub("", text)
    if cleaned != text:
        removed.append(_("control characters"))
    if kind == "char":
        cleaned = re.sub(r"[\r\n\t]+", " ", cleaned)
    without_tags = strip_tags(cleaned)
    if without_tags != cleaned:
        removed.append(_("HTML tags"))
    return unicodedata.normalize("NFC", without_tags), tuple(removed)


def _max_length(obj: models.Model, name: str, unit: Unit) -> int:
    field = obj._meta.get_field(name)
    if unit.id == name and not isinstance(field, StreamField) and name not in paired_fields(type(obj)):
        return getattr(field, "max_length", None) or MAX_TEXT
    return MAX_TEXT


def clean_targets(obj: models.Model, targets: dict[str, str]) -> tuple[dict[str, str], list[Cleaned]]:
    """Each imported text cleaned for its input (rich text by the editor's rules), and those that lost something.

    Raises TooLong, naming the text, for a text longer than its field allows.
    """
    cleaned_targets = dict(targets)
    report = []
    for name in translated_fields(type(obj)):
        field_label = capfirst(obj._meta.get_field(name).verbose_name)
        for unit in field_units(obj, name, source_language()):
            text = targets.get(unit.id)
            if text is None:
                continue
            label = capfirst(unit.label) if unit.label else field_label
            limit = _max_length(obj, name, unit)
            if len(text) > limit:
                raise TooLong(
                    _("The translation of “%(label)s” is longer than %(max)d characters: shorten it and import again.")
                    % {"label": label, "max": limit}
                )
            if unit.kind == "rich":
                value, removed = clean_rich_text(text, list(unit.features) if unit.features else None)
            else:
                value, removed = clean_plain_text(text, unit.kind)
            cleaned_targets[unit.id] = value
            if removed:
                report.append(Cleaned(unit.id, label, removed))
    return cleaned_targets, report
