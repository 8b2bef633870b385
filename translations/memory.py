"""The site's translation memory: French texts already translated somewhere, and their English.

Entries are written from the same snapshot as the translation status (when a translation is
written, each French text is paired with the English beside it). The workspace asks for the
entries whose French is identical, identical but for case, spacing and punctuation, or close
(most of the same words in the same order), best first. One query per workspace, whatever its size.
"""

import difflib
import hashlib
import math
from collections import Counter
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.html import strip_tags

from home.language import normalize_markup
from translations.models import MemoryEntry
from translations.pairs import field_units, is_blank, source_language, translated_fields

# Closeness (difflib's ratio over words) from which a text counts as "near-identical".
NEAR = 0.8
PER_UNIT = 3


def key(text: str) -> str:
    return hashlib.sha256(normalize_markup(text).encode()).hexdigest()[:16]


def remember(obj: models.Model, content_type: ContentType, language: str, title: str) -> None:
    """Replace the object's entries by the pairs (French text, English text) it holds now."""
    with translation.override(source_language()):  # the origin reads the same whoever saved it
        entries = list(_entries(obj, content_type, language, title))
    MemoryEntry.objects.filter(content_type=content_type, object_id=str(obj.pk), language=language).delete()
    MemoryEntry.objects.bulk_create(entries)


def _entries(obj: models.Model, content_type: ContentType, language: str, title: str):
    now = timezone.now()
    for name in translated_fields(type(obj)):
        label = str(obj._meta.get_field(name).verbose_name).capitalize()
        english = {unit.id: unit.text for unit in field_units(obj, name, language)}
        for unit in field_units(obj, name, source_language()):
            target = english.get(unit.id, "")
            if is_blank(unit.text) or is_blank(target):
                continue
            words = normalize_markup(unit.text)
            yield MemoryEntry(
                content_type=content_type,
                object_id=str(obj.pk),
                language=language,
                unit=unit.id[:255],
                origin=f"{title} — {unit.label or label}"[:255],
                source_text=unit.text,
                source_words=words,
                source_key=key(unit.text),
                length=len(words),
                target_text=target,
                written_at=now,
            )


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
    wanted = {unit.id: normalize_markup(unit.text) for unit in units}
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
    # Each entry's words, and for each word the entries holding it: a near-identical text must share
    # one of the unit's rarer words, so only those entries are compared word by word.
    entry_words = [row[6].split() for row in rows]
    postings: dict[str, list[int]] = {}
    for index, words in enumerate(entry_words):
        for word in set(words):
            postings.setdefault(word, []).append(index)
    sets: dict[int, frozenset] = {}
    own_type, own_id = content_type.pk, str(obj.pk)
    found = {}
    for unit in units:
        text = wanted.get(unit.id)
        if text is None:
            continue
        matches: dict[str, Suggestion] = {}
        for index, score in _near(text, rows, entry_words, postings, sets):
            entry_id, type_id, object_id, unit_id, origin, source_text, _words, target_text = rows[index]
            if unit_id == unit.id and object_id == own_id and type_id == own_type:
                continue  # its own English, already in the field
            exact = score == 1.0 and source_text.strip() == unit.text.strip()
            best = matches.get(target_text)
            if best is None or (score, exact) > (best.score, best.exact):
                matches[target_text] = Suggestion(entry_id, target_text, origin, type_id, object_id, score, exact)
        if matches:
            found[unit.id] = sorted(matches.values(), key=lambda s: (-s.score, not s.exact))[:PER_UNIT]
    return found


def _near(text: str, rows: list, entry_words: list, postings: dict, sets: dict) -> list[tuple[int, float]]:
    """(row index, closeness) of the entries whose words are near-identical to the text's."""
    own_words = text.split()
    counts = Counter(own_words)
    # A match shares at least NEAR / (2 - NEAR) of the text's words (difflib's ratio bound): any
    # entry holding none of the rarest words, up to that share, cannot match.
    needed = math.ceil(NEAR / (2 - NEAR) * len(own_words))
    remaining, candidates = len(own_words), set()
    for word in sorted(counts, key=lambda word: len(postings.get(word, ()))):
        if remaining < needed:
            break
        candidates.update(postings.get(word, ()))
        remaining -= counts[word]
    matcher = difflib.SequenceMatcher(None, autojunk=False)
    matcher.set_seq2(own_words)  # analysed once per text
    low, high = len(text) * NEAR, len(text) / NEAR
    own_set = frozenset(counts)
    near = []
    for index in candidates:
        source_words = rows[index][6]
        if not low <= len(source_words) <= high:
            continue
        if source_words == text:
            near.append((index, 1.0))
            continue
        other_set = sets.get(index)
        if other_set is None:
            other_set = sets[index] = frozenset(entry_words[index])
        # At most this many words can match (a cheap bound before difflib's own).
        bound = sum(counts[word] for word in own_set & other_set)
        if 2 * bound < NEAR * (len(own_words) + len(entry_words[index])):
            continue
        matcher.set_seq1(entry_words[index])
        if matcher.real_quick_ratio() >= NEAR and matcher.quick_ratio() >= NEAR:
            score = matcher.ratio()
            if score >= NEAR:
                near.append((index, score))
    return near
