"""What Wagtail's page editor posts for a page, built from the page itself (StreamFields included),
so tests save through the real admin edit view as an editor or a translator would."""

from django.urls import reverse

from wagtail import blocks
from wagtail.test.utils.form_data import rich_text


def block_form_data(block: blocks.Block, value, prefix: str) -> dict[str, str]:
    """The editor's form data for one block's raw value (ids kept, as the browser sends them)."""
    data = {}
    if isinstance(block, blocks.StreamBlock):
        items = value or []
        data[f"{prefix}-count"] = str(len(items))
        for index, item in enumerate(items):
            child = block.child_blocks[item["type"]]
            data.update(
                {
                    f"{prefix}-{index}-type": item["type"],
                    f"{prefix}-{index}-id": item.get("id") or "",
                    f"{prefix}-{index}-deleted": "",
                    f"{prefix}-{index}-order": str(index),
                }
            )
            data.update(block_form_data(child, item.get("value"), f"{prefix}-{index}-value"))
    elif isinstance(block, blocks.ListBlock):
        items = value or []
        data[f"{prefix}-count"] = str(len(items))
        for index, item in enumerate(items):
            raw, item_id = (item["value"], item.get("id")) if isinstance(item, dict) and "value" in item else (item, "")
            data[f"{prefix}-{index}-id"] = item_id or ""
            data[f"{prefix}-{index}-deleted"] = ""
            data[f"{prefix}-{index}-order"] = str(index)
            data.update(block_form_data(block.child_block, raw, f"{prefix}-{index}-value"))
    elif isinstance(block, blocks.StructBlock):
        for name, child in block.child_blocks.items():
            data.update(block_form_data(child, (value or {}).get(name), f"{prefix}-{name}"))
    elif isinstance(block, blocks.RichTextBlock):
        data[prefix] = rich_text(value or "", features=block.features)
    else:
        data[prefix] = "" if value is None else str(value)
    return data


def page_edit_data(page, **changes) -> dict[str, str]:
    """The edit form's data for the page as stored (its latest revision), with `changes` (raw values)."""
    page = page.get_latest_revision_as_object()
    form_class = page.get_edit_handler().get_form_class()
    form = form_class(instance=page, for_user=None)
    data = {
        "comments-TOTAL_FORMS": "0",
        "comments-INITIAL_FORMS": "0",
        "comments-MIN_NUM_FORMS": "0",
        "comments-MAX_NUM_FORMS": "1000",
    }
    for name, field in form.fields.items():
        value = changes[name] if name in changes else form[name].value()
        model_field = next((f for f in page._meta.get_fields() if f.name == name), None)
        stream_block = getattr(model_field, "stream_block", None)
        if stream_block is not None:
            raw = value if isinstance(value, list) else list(stream_block.get_prep_value(value))
            data.update(block_form_data(stream_block, raw, name))
        elif type(field).__name__ == "BooleanField":
            if value:
                data[name] = "on"
        else:
            data[name] = "" if value is None else str(value)
    return data


def edit_url(page) -> str:
    return reverse("wagtailadmin_pages:edit", args=[page.pk])
