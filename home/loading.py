"""Load the campaign home's content and the page on what the orders contribute (home/data/home.json).

`load_home` (the command, called by `seed_site` after the other apps' loaders) only parses
arguments and calls `load_home_file`. Pages keep what editors wrote: an empty field is filled,
and everything is replaced only with `overwrite=True`. Running it twice changes nothing.
Links name pages by key (`page:guide`); home names other apps' page types only as strings.
"""

import uuid
from pathlib import Path

from django.apps import apps

from wagtail import blocks

from home.loaders import (
    LANGUAGES,
    PAGE_LINK,
    SOURCE,
    LoadError,
    LoadReport,
    add_page,
    apply_values,
    home_page,
    link_pages,
    loading,
    publish_changes,
    read_json,
    stable_id,
    translated,
)
from home.models import HomePage, StandardPage

HOME_FILE = Path(__file__).resolve().parent / "data" / "home.json"
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


class HomeDataError(LoadError):
    """The data file is malformed or names a page that does not exist; the message says which."""


def read(path: Path = HOME_FILE) -> dict:
    """Parse the data file."""
    return read_json(path, HomeDataError)


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
                "id": stable_id(BLOCK_NAMESPACE, f"{where}/{index}"),
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
        return link_pages(value, pks)
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
        result.append({"type": item["type"], "value": value, "id": stable_id(BLOCK_NAMESPACE, block_id)})
    return result


def load_home_data(data: dict, *, overwrite: bool = False) -> LoadReport:
    """Create or update the contribution page, then the home page's introduction and body."""
    home = home_page(HomeDataError)
    report = LoadReport()
    with loading():
        record = data[CONTRIBUTION_KEY]
        page = StandardPage.objects.child_of(home).filter(slug_fr=record["slug_fr"]).first()
        page = page or StandardPage(show_in_menus=False)
        changed = apply_values(
            page, translated(record, "title", "slug", "intro", "search_description"), overwrite=overwrite
        )
        is_new = add_page(home, page)
        pks = {**page_keys(home), CONTRIBUTION_KEY: page.pk}
        page_body = StandardPage.body.field.stream_block
        bodies = {
            f"body_{language}": stream(page_body, f"contribution/{SOURCE}", record[f"body_{language}"], pks)
            for language in LANGUAGES
        }
        changed = apply_values(page, bodies, overwrite=overwrite) or changed
        publish_changes(page, is_new=is_new, changed=changed, report=report, label=CONTRIBUTION_KEY)

        record = data["home"]
        home_body = HomePage.body.field.stream_block
        values = translated(record, "intro", "search_description")
        for language in LANGUAGES:
            values[f"body_{language}"] = stream(home_body, f"home/{SOURCE}", record[f"body_{language}"], pks)
        changed = apply_values(home, values, overwrite=overwrite)
        publish_changes(home, is_new=False, changed=changed, report=report, label="home")
    return report


def load_home_file(path: Path = HOME_FILE, *, overwrite: bool = False) -> LoadReport:
    """Read the data file and load it in one transaction (nothing is written if it is malformed)."""
    return load_home_data(read(path), overwrite=overwrite)
