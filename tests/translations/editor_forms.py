"""What Wagtail's editor posts for a page or snippet left as it is: every field of its edit form.

Built from the model's own edit form (the panels' fields, StreamFields flattened as the editor's
JavaScript flattens them, rich text as Draftail's JSON), so a test can post "nothing changed" for
any page type or snippet and change one value on top.
"""

from django import forms

from wagtail import blocks
from wagtail.blocks import BlockField
from wagtail.models import Page


def _block_data(block: blocks.Block, value, prefix: str) -> dict:
    data = {}
    if isinstance(block, blocks.StreamBlock):
        items = list(value or [])
        data[f"{prefix}-count"] = str(len(items))
        for index, child in enumerate(items):
            key = f"{prefix}-{index}"
            data.update({f"{key}-type": child.block_type, f"{key}-deleted": "", f"{key}-order": str(index)})
            data[f"{key}-id"] = child.id or ""
            data.update(_block_data(child.block, child.value, f"{key}-value"))
    elif isinstance(block, blocks.ListBlock):
        items = list(value.bound_blocks) if value is not None else []
        data[f"{prefix}-count"] = str(len(items))
        for index, child in enumerate(items):
            key = f"{prefix}-{index}"
            data.update({f"{key}-deleted": "", f"{key}-order": str(index), f"{key}-id": child.id or ""})
            data.update(_block_data(block.child_block, child.value, f"{key}-value"))
    elif isinstance(block, blocks.StructBlock):
        for name, child in block.child_blocks.items():
            data.update(_block_data(child, value.get(name) if value is not None else None, f"{prefix}-{name}"))
    elif isinstance(block, blocks.FieldBlock):
        data.update(_widget_data(block.field, block.value_for_form(value), prefix))
    return data


def _widget_data(field: forms.Field, value, key: str) -> dict:
    widget = field.widget
    if isinstance(widget, forms.CheckboxInput):
        return {key: "on"} if value else {}
    if isinstance(field, forms.ModelMultipleChoiceField):
        return {key: [str(getattr(item, "pk", item)) for item in value or []]}
    if isinstance(field, forms.ModelChoiceField):
        value = getattr(value, "pk", value)
        return {key: "" if value is None else str(value)}
    formatted = widget.format_value(value)
    if isinstance(formatted, list) and not getattr(widget, "allow_multiple_selected", False):
        formatted = formatted[0] if formatted else ""  # a single <select> formats its value as a list
    return {key: "" if formatted is None else formatted}


def edit_handler(obj):
    """The panels of the object's admin edit view (a page type's, or its snippet viewset's)."""
    if isinstance(obj, Page):
        return obj.specific_class.get_edit_handler()
    viewset = getattr(type(obj), "snippet_viewset", None)
    return viewset.get_edit_handler() if viewset is not None else type(obj).get_edit_handler()


def edit_form_data(obj, **changes) -> dict:
    """The POST of the object's admin edit form with nothing changed, then `changes` (form field names)."""
    form_class = edit_handler(obj).get_form_class()
    form = form_class(instance=obj, for_user=None) if isinstance(obj, Page) else form_class(instance=obj)
    data = {}
    for name, field in form.fields.items():
        initial = form.get_initial_for_field(field, name)
        if isinstance(field, BlockField):
            data.update(_block_data(field.block, initial, name))
        else:
            data.update(_widget_data(field, initial, name))
    for formset in getattr(form, "formsets", {}).values():
        management = formset.management_form
        data.update({management.add_prefix(name): management[name].value() for name in management.fields})
    for key, value in changes.items():
        if isinstance(value, dict):
            data.update(value)
        else:
            data[key] = value
    return data


def rich(text: str) -> str:
    """Draftail's JSON for one paragraph of text (what the rich text editor posts)."""
    from wagtail.admin.rich_text.converters.contentstate import ContentstateConverter

    return ContentstateConverter(features=[]).from_database_format(f"<p>{text}</p>")
