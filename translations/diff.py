"""What changed in the French since the translation was written, word by word."""

import difflib
import re

from django.utils.html import strip_tags

WORDS = re.compile(r"\s+|[^\s]+")


def word_diff(before: str, after: str) -> list[dict]:
    """Chunks of {"op": "equal"|"delete"|"insert", "text": …} turning `before` into `after`."""
    old = WORDS.findall(strip_tags(before or ""))
    new = WORDS.findall(strip_tags(after or ""))
    chunks = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if op in ("equal", "delete", "replace") and i2 > i1:
            chunks.append({"op": "equal" if op == "equal" else "delete", "text": "".join(old[i1:i2])})
        if op in ("insert", "replace") and j2 > j1:
            chunks.append({"op": "insert", "text": "".join(new[j1:j2])})
    return chunks
