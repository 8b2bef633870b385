"""Load the campaign home's content and the page on what the orders contribute (home/data/home.json).

`load_home` (the command, called by `seed_site` after the other apps' loaders) only parses
arguments and calls `load_home_file`. Pages keep what editors wrote: an empty field is filled,
and everything is replaced only with `overwrite=True`. Running it twice changes nothing.
Links name pages by key (`page:guide`); home names other apps' page types only as strings.
"""

import json
import re
import uuid
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.utils import translation

from wagtail import blocks
from wagtail.models import Page

from home.models import HomePage, StandardPage
from home.seeding import LoadReport

HOME_FILE = Path(__file__).resolve().parent / "data" / "home.json"
LANGUAGES = [code for code, _name in settings.LANGUAGES]
PAGE_LINK = re.compile(r'href="page:([a-z0-9-]+)"')
# Stable block ids: the same data gives the same StreamField JSON on every run.
BLOCK_NAMESPACE = uuid.UUID("0e6b8a52-3a53-4d8f-9a3c-7c1d2b5e9f10")
# Pages the content links to, by key: (app label, model) of a singleton page type.
SINGLETONS = {
    "hub": ("protection", "ExplainerIndexPage"),
    "guide": ("protection", "GuidePage"),
    "orders": ("professions", "OrderIndexPage"),
    "professions": ("professions", "ProfessionIndexPage"),
    "blog": ("blog", "BlogIndexPage"),
}
CONTRIBUTION_KEY = "contribution"


class HomeDataError(ValueError):
    """The data file is malformed or names a page that does not exist; the message says which."""


def read(path: Path = HOME_FILE) -> dict:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise HomeDataError(f"no data file at {path}") from error
    except json.JSONDecodeError as error:
        raise HomeDataError(f"{path} is not valid JSON (line {error.lineno})") from error


def page_keys(home: HomePage) -> dict[str, int]:
    """The pages the content may link to: singletons, explainers by key and the contribution page."""
    keys = {}
    for key, (app_label, model_name) in SINGLETONS.items():
        pk = apps.get_model(app_label, model_name).objects.child_of(home).values_list("pk", flat=True).first()
        if pk is not None:
            keys[key] = pk
    keys.update(apps.get_model("protection", "ExplainerPage").objects.values_list("key", "pk"))
    return keys


def raw_value(block: blocks.Block, value, where: str, pks: dict[str, int]):
    """The StreamField JSON of one block's value from the data file; `where` seeds stable ids."""
    if isinstance(block, blocks.ListBlock):
        return [
            {
                "type": "item",
                "value": raw_value(block.child_block, item, f"{where}/{index}", pks),
                "id": str(uuid.uuid5(BLOCK_NAMESPACE, f"{where}/{index}")),
            }
            for index, item in enumerate(value)
        ]
    if isinstance(block, blocks.StructBlock):
        unknown = set(value) - set(block.child_blocks)
        if unknown:
            raise HomeDataError(f"{where}: unknown fields {sorted(unknown)}")
        return {name: raw_value(block.child_blocks[name], item, f"{where}/{name}", pks) for name, item in value.items()}
    if isinstance(block, blocks.PageChooserBlock):
        if value not in pks:
            raise HomeDataError(f"{where}: no page with key {value!r} (run `manage.py seed_site`)")
        return pks[value]
    if isinstance(block, blocks.RichTextBlock):
        missing = set(PAGE_LINK.findall(value)) - set(pks)
        if missing:
            raise HomeDataError(f"{where}: links to unknown pages {sorted(missing)}")
        return PAGE_LINK.sub(lambda match: f'linktype="page" id="{pks[match.group(1)]}"', value)
    return value


def stream(stream_block: blocks.StreamBlock, where: str, data: list[dict], pks: dict[str, int]) -> list[dict]:
    """StreamField JSON for a body from the data file, checked against the block definitions."""
    result = []
    for index, item in enumerate(data):
        child = stream_block.child_blocks.get(item.get("type"))
        if child is None:
            raise HomeDataError(f"{where}[{index}]: unknown block type {item.get('type')!r}")
        block_id = f"{where}/{index}"
        value = raw_value(child, item["value"], block_id, pks)
        result.append({"type": item["type"], "value": value, "id": str(uuid.uuid5(BLOCK_NAMESPACE, block_id))})
    return result


def _stored(value):
    """Comparable StreamField data: what is stored, whatever form (raw or parsed) it is in."""
    if hasattr(value, "get_prep_value"):
        value = value.get_prep_value()
    return json.loads(json.dumps(value, default=str))


def apply_values(page: Page, values: dict, overwrite: bool) -> bool:
    """Set the attributes that differ: on a saved page only empty ones, unless overwrite. True if changed."""
    changed = False
    for attribute, value in values.items():
        current = getattr(page, attribute)
        same = _stored(current) == value if isinstance(value, list) else current == value
        empty = current is None or len(current) == 0
        if same or (page.pk and not overwrite and not empty):
            continue
        setattr(page, attribute, value)
        changed = True
    return changed


def _field_values(record: dict, names: tuple[str, ...]) -> dict:
    return {f"{name}_{language}": record[f"{name}_{language}"] for name in names for language in LANGUAGES}


def load_home_data(data: dict, *, overwrite: bool = False) -> LoadReport:
    """Create or update the contribution page, then the home page's introduction and body."""
    home = HomePage.objects.first()
    if home is None:
        raise HomeDataError("no home page: run `manage.py seed_site` first")
    report = LoadReport()
    with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
        record = data[CONTRIBUTION_KEY]
        page = StandardPage.objects.child_of(home).filter(slug_fr=record["slug_fr"]).first()
        is_new = page is None
        page = page or StandardPage(show_in_menus=False)
        changed = apply_values(page, _field_values(record, ("title", "slug", "intro", "search_description")), overwrite)
        if is_new:
            home.add_child(instance=page)
        pks = {**page_keys(home), CONTRIBUTION_KEY: page.pk}
        page_body = StandardPage.body.field.stream_block
        bodies = {
            f"body_{language}": stream(page_body, f"contribution/{language}", record[f"body_{language}"], pks)
            for language in LANGUAGES
        }
        changed = apply_values(page, bodies, overwrite) or changed
        _publish(page, is_new, changed, CONTRIBUTION_KEY, report)

        record = data["home"]
        home_body = HomePage.body.field.stream_block
        values = _field_values(record, ("intro", "search_description"))
        for language in LANGUAGES:
            values[f"body_{language}"] = stream(home_body, f"home/{language}", record[f"body_{language}"], pks)
        _publish(home, False, apply_values(home, values, overwrite), "home", report)
    return report


def _publish(page: Page, is_new: bool, changed: bool, label: str, report: LoadReport) -> None:
    if is_new or changed:
        page.save_revision().publish()
        (report.created if is_new else report.updated).append(label)
    else:
        report.unchanged.append(label)


def load_home_file(path: Path = HOME_FILE, *, overwrite: bool = False) -> LoadReport:
    """Read the data file and load it in one transaction (nothing is written if it is malformed)."""
    return load_home_data(read(path), overwrite=overwrite)
