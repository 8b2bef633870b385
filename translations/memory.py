"""The site's translation memory: French texts already translated somewhere, and their English.

Entries are written from the same snapshot as the translation status (when a translation is
written, each French text is paired with the English beside it). The workspace asks for the
entries whose French is identical, identical but for case, spacing and punctuation, or close
(most of the same words in the same order), best first. One query per workspace, whatever its size.
"""

import bisect
import difflib
import hashlib
import re
import unicodedata
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.html import strip_tags

from translations.models import MemoryEntry

# Closeness (difflib's ratio over words) from which a text counts as "near-identical".
NEAR = 0.75
PER_UNIT = 3
PUNCTUATION = re.compile(r"[^\w\s]+")
SPACES = re.compile(r"\s+")


def normalize(text: str) -> str:
    """The words of a text, lower case, without markup or punctuation: what "identical" compares."""
    text = unicodedata.normalize("NFC", strip_tags(text or "")).lower()
    return SPACES.sub(" ", PUNCTUATION.sub(" ", text)).strip()


def key(text: str) -> str:
    return hashlib.sha256(normalize(text).encode()).hexdigest()[:16]


def remember(obj: models.Model, content_type: ContentType, language: str, title: str) -> None:
    """Replace the object's entries by the pairs (French text, English text) it holds now."""
    from translations.status import field_units, is_blank, source_language, translated_fields

    now = timezone.now()
    entries = []
    for name in translated_fields(type(obj)):
        label = str(obj._meta.get_field(name).verbose_name).capitalize()
        english = {unit.id: unit.text for unit in field_units(obj, name, language)}
        for unit in field_units(obj, name, source_language()):
            target = english.get(unit.id, "")
            if is_blank(unit.text) or is_blank(target):
                continue
            entries.append(
                MemoryEntry(
                    content_type=content_type,
                    object_id=str(obj.pk),
                    language=language,
                    unit=unit.id[:255],
                    origin=f"{title} — {unit.label or label}"[:255],
                    source_text=unit.text,
                    source_words=normalize(unit.text),
                    source_key=key(unit.text),
                    length=len(normalize(unit.text)),
                    target_text=target,
                    written_at=now,
                )
            )
    MemoryEntry.objects.filter(content_type=content_type, object_id=str(obj.pk), language=language).delete()
    MemoryEntry.objects.bulk_create(entries)


@dataclass
class Suggestion:
    """An English text offered for a French text, with where it was written and how close its French is."""

    id: int
    text: str
    origin: str
    content_type_id: int
    object_id: str
    score: float
    exact: bool

    @property
    def plain_text(self) -> str:
        return strip_tags(self.text)

    @property
    def percent(self) -> int:
        return round(self.score * 100)


def _windows(lengths: list[int]) -> Q:
    """Entries whose French is about as long as one of the texts (merged length ranges, one query)."""
    ranges = sorted((int(length * NEAR), int(length / NEAR) + 1) for length in lengths)
    merged = [list(ranges[0])]
    for low, high in ranges[1:]:
        if low <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], high)
        else:
            merged.append([low, high])
    query = Q()
    for low, high in merged:
        query |= Q(length__gte=low, length__lte=high)
    return query


def suggest(obj: models.Model, language: str, units: list) -> dict[str, list[Suggestion]]:
    """For each French unit (with .id and .text), up to three suggestions from other texts, best first."""
    wanted = {unit.id: normalize(unit.text) for unit in units}
    wanted = {unit_id: text for unit_id, text in wanted.items() if text}
    if not wanted:
        return {}
    content_type = ContentType.objects.get_for_model(obj, for_concrete_model=True)
    rows = list(
        MemoryEntry.objects.filter(_windows([len(text) for text in wanted.values()]), language=language)
        .values_list(
            "id", "content_type_id", "object_id", "unit", "origin", "source_text", "source_words", "target_text"
        )
        .order_by("length", "-written_at")
    )
    by_length = [len(row[6]) for row in rows]
    words: dict[int, list[str]] = {}
    found = {}
    for unit in units:
        text = wanted.get(unit.id)
        if text is None:
            continue
        own_words = text.split()
        own_set = set(own_words)
        # The unit's words are the matcher's second sequence: difflib analyses them once per unit.
        matcher = difflib.SequenceMatcher(None, autojunk=False)
        matcher.set_seq2(own_words)
        low = bisect.bisect_left(by_length, len(text) * NEAR)
        high = bisect.bisect_right(by_length, len(text) / NEAR)
        matches: dict[str, Suggestion] = {}
        for row in rows[low:high]:
            entry_id, type_id, object_id, unit_id, origin, source_text, source_words, target_text = row
            if type_id == content_type.pk and object_id == str(obj.pk) and unit_id == unit.id:
                continue  # its own English, already in the field
            exact = source_text.strip() == unit.text.strip()
            if exact or source_words == text:
                score = 1.0
            else:
                other = words.get(entry_id)
                if other is None:
                    other = words[entry_id] = source_words.split()
                shared = len(own_set.intersection(other))
                if 2 * shared < NEAR * (len(own_set) + len(set(other))):
                    continue  # too few words in common to be near-identical
                matcher.set_seq1(other)
                if matcher.quick_ratio() < NEAR:
                    continue
                score = matcher.ratio()
                if score < NEAR:
                    continue
            best = matches.get(target_text)
            if best is None or (score, exact) > (best.score, best.exact):
                matches[target_text] = Suggestion(entry_id, target_text, origin, type_id, object_id, score, exact)
        if matches:
            found[unit.id] = sorted(matches.values(), key=lambda s: (-s.score, not s.exact))[:PER_UNIT]
    return found
