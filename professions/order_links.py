"""The orders' complaint (syndic) and register addresses seen in archived copies of their sites.

None was checked live: `load_directory` puts them in the order pages' empty link fields, and the
public pages show them only once `manage.py check_links` finds them working (links.public).
"""

from pathlib import Path
from urllib.parse import urlsplit

from django.utils.text import slugify

from home.loaders import LoadError, read_json

LINKS_FILE = Path(__file__).resolve().parent / "data" / "order_links.json"
# Data file field → OrderPage field.
FIELDS = {
    "register_url_fr": "register_url",
    "register_url_en": "register_url_english",
    "complaint_url_fr": "syndic_url",
    "complaint_url_en": "syndic_url_english",
}


class OrderLinksError(LoadError):
    """The links file is malformed; the message names the record and the field."""


def validate_order_links(data) -> dict[str, dict[str, str]]:
    """Check the whole file; return {order key: {page field: address}} for the addresses it gives.

    Keys of orders missing from the directory are allowed (and ignored by the loader), so that a
    partial directory file can be loaded with the full links file.
    """
    if not isinstance(data, dict) or not isinstance(data.get("orders"), list):
        raise OrderLinksError("the file should hold a JSON object with an 'orders' list")
    links: dict[str, dict[str, str]] = {}
    for index, record in enumerate(data["orders"]):
        where = f"orders[{index}]"
        if not isinstance(record, dict):
            raise OrderLinksError(f"{where}: expected an object")
        key = record.get("key")
        if not isinstance(key, str) or not key or slugify(key) != key:
            raise OrderLinksError(f"{where}: field 'key' should be an order's key (a slug), got {key!r}")
        where = f"{where} (key {key!r})"
        if key in links:
            raise OrderLinksError(f"{where}: field 'key' repeats an earlier record")
        found = {}
        for name, page_field in FIELDS.items():
            if name not in record:
                raise OrderLinksError(f"{where}: field {name!r} is missing (null when unknown)")
            value = record[name]
            if value is None:
                continue
            parts = urlsplit(value) if isinstance(value, str) else None
            if parts is None or parts.scheme not in ("http", "https") or not parts.netloc or value != value.strip():
                raise OrderLinksError(f"{where}: field {name!r} is not an http(s) URL: {value!r}")
            if len(value) > 200:
                raise OrderLinksError(f"{where}: field {name!r} is longer than 200 characters")
            found[page_field] = value
        links[key] = found
    return links


def read_order_links(path: Path = LINKS_FILE) -> dict[str, dict[str, str]]:
    """Read and validate the links file."""
    return validate_order_links(read_json(path, OrderLinksError, "links file"))
