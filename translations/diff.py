"""What changed in the French since the translation was written, word by word and text by text."""

import difflib
import html
import re

from django.db import models
from django.utils.html import strip_tags
from django.utils.text import capfirst

from translations.models import TranslationRecord
from translations.status import field_units, is_blank, source_language, translated_fields

WORDS = re.compile(r"\s+|[^\s]+")
BLOCK_END = re.compile(r"</(?:p|li|h[1-6]|div|blockquote|ul|ol)\s*>|<br\s*/?>", re.I)


def plain_text(text: str) -> str:
    """The words of a text, rich or not: tags dropped, paragraphs on their own lines, entities read."""
    return html.unescape(strip_tags(BLOCK_END.sub("\n", text or ""))).strip()


def word_diff(before: str, after: str) -> list[dict]:
    """Chunks of {"op": "equal"|"delete"|"insert", "text": …} turning `before` into `after`."""
    old = WORDS.findall(plain_text(before))
    new = WORDS.findall(plain_text(after))
    chunks = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if op in ("equal", "delete", "replace") and i2 > i1:
            chunks.append({"op": "equal" if op == "equal" else "delete", "text": "".join(old[i1:i2])})
        if op in ("insert", "replace") and j2 > j1:
            chunks.append({"op": "insert", "text": "".join(new[j1:j2])})
    return chunks


def changes_by_text(obj: models.Model, record: TranslationRecord) -> list[dict]:
    """Per field, each French text that changed or lacks its translation: label, word diff, English now.

    Texts are the status' units (a field, or one StreamField text); a text removed from the French
    since the translation was written is listed too, as a deletion.
    """
    language = record.language
    sections = []
    for name in translated_fields(type(obj)):
        field_label = capfirst(obj._meta.get_field(name).verbose_name)
        english = {unit.id: unit.text for unit in field_units(obj, name, language)}
        entries, seen = [], set()
        for unit in field_units(obj, name, source_language()):
            seen.add(unit.id)
            if is_blank(unit.text):
                continue
            if record.source_units:
                before = record.source_units.get(unit.id)
                changed = before != unit.text
            else:  # a record written before texts were kept one by one: the field's French of then
                before = record.source_snapshot.get(name, "")
                changed = name in record.changed_fields
            missing = is_blank(english.get(unit.id, ""))
            if changed or missing:
                entries.append(
                    {
                        "label": capfirst(unit.label) if unit.label else field_label,
                        "new": before is None,
                        "changed": changed,
                        "missing": missing,
                        "diff": word_diff(before or "", unit.text) if changed else [],
                        "translation": plain_text(english.get(unit.id, "")),
                    }
                )
        prefix = f"{name}."
        for unit_id, before in (record.source_units or {}).items():
            if (unit_id == name or unit_id.startswith(prefix)) and unit_id not in seen:
                entries.append(
                    {
                        "label": field_label,
                        "removed": True,
                        "changed": True,
                        "diff": word_diff(before, ""),
                        "translation": plain_text(english.get(unit_id, "")),
                    }
                )
        if entries:
            sections.append({"name": name, "label": field_label, "entries": entries})
    return sections
