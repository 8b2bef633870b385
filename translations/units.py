"""The text units of a StreamField: one per text leaf, named by its path of block ids, in each language.

Two kinds of StreamField are translated. A *registered* one has a column per language (`body_fr`,
`body_en`): an English block is the French block with the same id (see translations.pairs). A
*paired* one is a single column whose blocks hold both languages side by side (`text_fr` /
`text_en`, the guide's steps): its unit `steps.<id>.text` reads `text_fr` in French and `text_en`
in English.
"""

import copy
from dataclasses import dataclass

from django.conf import settings

from wagtail import blocks

TEXT_BLOCKS = (blocks.CharBlock, blocks.TextBlock, blocks.RichTextBlock)


@dataclass(frozen=True)
class Unit:
    """One text of a field in one language: its id, its text, what kind of input it needs, its label."""

    id: str
    text: str
    kind: str  # "char", "text" or "rich"
    label: str = ""
    features: tuple | None = None  # the rich text editor's features, for "rich"


def block_kind(block: blocks.Block) -> str:
    if isinstance(block, blocks.RichTextBlock):
        return "rich"
    if isinstance(block, blocks.TextBlock):
        return "text"
    return "char"


def _features(block: blocks.Block) -> tuple | None:
    features = getattr(block, "features", None)
    return tuple(features) if isinstance(block, blocks.RichTextBlock) and features else None


def _language_suffix(name: str) -> tuple[str, str]:
    base, _sep, suffix = name.rpartition("_")
    codes = {code for code, _name in settings.LANGUAGES}
    return (base, suffix) if base and suffix in codes else (name, "")


def _label(parent: str, block: blocks.Block) -> str:
    own = str(block.label or "")
    return f"{parent} › {own}" if parent and own else parent or own


def is_paired(block: blocks.Block) -> bool:
    """Whether the block tree holds text children in pairs (`x_fr` and `x_en`)."""
    if isinstance(block, blocks.StructBlock):
        names = set(block.child_blocks)
        for name, child in block.child_blocks.items():
            base, suffix = _language_suffix(name)
            if suffix and isinstance(child, TEXT_BLOCKS) and any(f"{base}_{code}" in names for code in _others(suffix)):
                return True
        return any(is_paired(child) for child in block.child_blocks.values())
    if isinstance(block, blocks.StreamBlock):
        return any(is_paired(child) for child in block.child_blocks.values())
    if isinstance(block, blocks.ListBlock):
        return is_paired(block.child_block)
    return False


def _others(code: str) -> list[str]:
    return [other for other, _name in settings.LANGUAGES if other != code]


def stream_units(block: blocks.Block, raw, path: str, language: str = "", label: str = "") -> list[Unit]:
    """Every text leaf of raw StreamField data; with `language`, the paired children of that language."""
    if isinstance(block, TEXT_BLOCKS):
        if language or not isinstance(raw, str):
            return []
        return [Unit(path, raw, block_kind(block), label, _features(block))]
    units = []
    if isinstance(block, blocks.StreamBlock) and isinstance(raw, list):
        for item in raw:
            child = block.child_blocks.get(item.get("type"))
            if child is not None:
                units += stream_units(
                    child, item.get("value"), f"{path}.{item.get('id')}", language, _label(label, child)
                )
    elif isinstance(block, blocks.StructBlock) and isinstance(raw, dict):
        for name, child in block.child_blocks.items():
            base, suffix = _language_suffix(name)
            if language and suffix and isinstance(child, TEXT_BLOCKS):
                if suffix == language:
                    text = raw.get(name) or ""
                    units.append(
                        Unit(f"{path}.{base}", text, block_kind(child), _label(label, child), _features(child))
                    )
                continue
            units += stream_units(child, raw.get(name), f"{path}.{name}", language, _label(label, child))
    elif isinstance(block, blocks.ListBlock) and isinstance(raw, list):
        child = block.child_block
        for index, item in enumerate(raw):
            if isinstance(item, dict) and "value" in item:
                item_path = f"{path}.{item.get('id', index)}"
                units += stream_units(child, item["value"], item_path, language, label)
            else:
                units += stream_units(child, item, f"{path}.{index}", language, label)
    return units


def set_stream_units(block: blocks.Block, raw, path: str, texts: dict[str, str], language: str = ""):
    """A copy of raw StreamField data with the text leaves found in `texts` replaced.

    With `language`, only that language's paired children are replaced (the others are kept).
    """
    if isinstance(block, TEXT_BLOCKS):
        if language or not isinstance(raw, str):
            return raw
        return texts.get(path, raw)
    raw = copy.deepcopy(raw)
    if isinstance(block, blocks.StreamBlock) and isinstance(raw, list):
        for item in raw:
            child = block.child_blocks.get(item.get("type"))
            if child is not None:
                item_path = f"{path}.{item.get('id')}"
                item["value"] = set_stream_units(child, item.get("value"), item_path, texts, language)
    elif isinstance(block, blocks.StructBlock) and isinstance(raw, dict):
        for name, child in block.child_blocks.items():
            base, suffix = _language_suffix(name)
            if language and suffix and isinstance(child, TEXT_BLOCKS):
                if suffix == language and f"{path}.{base}" in texts:
                    raw[name] = texts[f"{path}.{base}"]
                continue
            raw[name] = set_stream_units(child, raw.get(name), f"{path}.{name}", texts, language)
    elif isinstance(block, blocks.ListBlock) and isinstance(raw, list):
        for index, item in enumerate(raw):
            if isinstance(item, dict) and "value" in item:
                item_path = f"{path}.{item.get('id', index)}"
                item["value"] = set_stream_units(block.child_block, item["value"], item_path, texts, language)
            else:
                raw[index] = set_stream_units(block.child_block, item, f"{path}.{index}", texts, language)
    return raw
