"""Load the explainers and the guide, creating or updating pages by key (the home body: home/loading.py).

`load_explainers` (the command) only parses arguments and calls `load_explainers_files`. Pages
that already exist keep what editors wrote: empty fields are filled, and everything is replaced
only with `overwrite=True`. Running it twice changes nothing.
"""

import json
import uuid
from pathlib import Path

from wagtail.models import Page

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
from professions.models import OrderIndexPage, OrderPage, ProfessionIndexPage
from protection.models import ExplainerIndexPage, ExplainerPage, GuidePage

DATA_DIR = Path(__file__).resolve().parent / "data"
EXPLAINERS_FILE = DATA_DIR / "explainers.json"
GUIDE_FILE = DATA_DIR / "guide.json"
HUB_KEY = "hub"
BLOCK_TYPES = {
    "paragraph",
    "heading",
    "callout",
    "steps",
    "flow",
    "faq",
    "key_figures",
    "links",
    "directory_links",
    "barometer",
}
# Stable block ids: the same data gives the same StreamField JSON on every run.
BLOCK_NAMESPACE = uuid.UUID("5f0c2b1e-4a8e-4c7e-9a51-6f1d2c3b4a59")


class ExplainerDataError(LoadError):
    """A data file is malformed; the message names the record and the field."""


# --- Reading and validation ----------------------------------------------------------------


def validate(explainers: list, guide: dict) -> None:
    """Check the two files together (keys, links, block types) before anything is written."""
    keys = [record.get("key") for record in explainers]
    if HUB_KEY not in keys or len(set(keys)) != len(keys):
        raise ExplainerDataError("explainers: keys must be unique and include 'hub'")
    page_keys = {*keys, "guide", "orders", "professions"}
    bodies = [(f"explainers[{record['key']}]", record) for record in explainers]
    for where, record in bodies:
        for language in LANGUAGES:
            for name in ("title", "slug", "summary", "intro"):
                if not record.get(f"{name}_{language}"):
                    raise ExplainerDataError(f"{where}: field '{name}_{language}' is missing or empty")
            for block in record[f"body_{language}"]:
                if block.get("type") not in BLOCK_TYPES:
                    raise ExplainerDataError(f"{where}: unknown block type {block.get('type')!r}")
                linked = set(PAGE_LINK.findall(json.dumps(block["value"])))
                if block["type"] == "links":
                    linked |= set(block["value"]["page_keys"])
                if linked - page_keys:
                    raise ExplainerDataError(f"{where}: links to unknown pages {sorted(linked - page_keys)}")
    nodes = guide.get("nodes", {})
    if guide.get("start") not in nodes:
        raise ExplainerDataError("guide: 'start' names no node")
    for name, node in nodes.items():
        targets = {option["next"] for option in node.get("options", [])}
        if targets - set(nodes):
            raise ExplainerDataError(f"guide.{name}: answers lead to unknown nodes {sorted(targets - set(nodes))}")
        if set(node.get("page_keys", [])) - set(keys):
            raise ExplainerDataError(f"guide.{name}: unknown explainer keys")


# --- StreamField values ----------------------------------------------------------------------


def _item_ids(where: str, values: list) -> list[dict]:
    return [
        {"type": "item", "value": value, "id": stable_id(BLOCK_NAMESPACE, f"{where}/{index}")}
        for index, value in enumerate(values)
    ]


def stream_value(where: str, blocks: list[dict], pks: dict[str, int], orders: dict[str, int]) -> list[dict]:
    """Raw StreamField data from the data file's blocks; `where` seeds the stable block ids."""
    stream = []
    for index, block in enumerate(blocks):
        block_id = f"{where}/{index}"
        kind, value = block["type"], block["value"]
        if kind == "paragraph":
            value = link_pages(value, pks)
        elif kind == "steps":
            steps = [{"delay": "", "outcomes": "", "actor": "", "description": "", **step} for step in value["steps"]]
            value = {"title": value.get("title", ""), "steps": _item_ids(block_id, steps)}
        elif kind == "flow":
            value = {**value, "nodes": _item_ids(block_id, value["nodes"])}
        elif kind == "faq":
            value = {"title": value.get("title", ""), "items": _item_ids(block_id, value["items"])}
        elif kind == "key_figures":
            value = {"title": value.get("title", ""), "figures": _item_ids(block_id, value["figures"])}
        elif kind == "links":
            value = {
                "title": value["title"],
                "pages": _item_ids(block_id, [pks[key] for key in value["page_keys"]]),
            }
        elif kind == "directory_links":
            found = [orders[key] for key in value["keys"] if key in orders]
            value = {"title": value["title"], "pages": _item_ids(block_id, found)}
        stream.append({"type": kind, "value": value, "id": stable_id(BLOCK_NAMESPACE, block_id)})
    return stream


def guide_stream(guide: dict, pks: dict[str, int]) -> list[dict]:
    """The guide's decision tree as GuidePage.steps: the start node first, then the file's order."""
    names = [guide["start"], *(name for name in guide["nodes"] if name != guide["start"])]
    stream = []
    for name in names:
        node = guide["nodes"][name]
        where = f"guide/{name}"
        if node["type"] == "question":
            value = {
                "key": name,
                **{f"{field}_{lang}": node[f"{field}_{lang}"] for field in ("text", "help") for lang in LANGUAGES},
                "options": _item_ids(
                    where,
                    [
                        {
                            "label_fr": option["label_fr"],
                            "label_en": option["label_en"],
                            "next": option["next"],
                        }
                        for option in node["options"]
                    ],
                ),
            }
        else:
            value = {
                "key": name,
                **{f"{field}_{lang}": node[f"{field}_{lang}"] for field in ("title", "text") for lang in LANGUAGES},
                "pages": _item_ids(where, [pks[key] for key in node["page_keys"]]),
                "find_order": node["find_order"],
                "contact_syndic": node.get("contact_syndic", False),
                **{
                    f"{field}_{lang}": node.get(f"{field}_{lang}", "")
                    for field in ("short", "words")
                    for lang in LANGUAGES
                },
            }
        stream.append({"type": node["type"], "value": value, "id": stable_id(BLOCK_NAMESPACE, where)})
    return stream


# --- Writing pages -------------------------------------------------------------------------------


def load_explainers_data(explainers: list, guide: dict, *, overwrite: bool = False) -> LoadReport:
    """Create or update the hub, every explainer and the guide."""
    validate(explainers, guide)
    report = LoadReport()
    home = home_page(ExplainerDataError)
    with loading():
        records = {record["key"]: record for record in explainers}
        page_fields = ("title", "slug", "intro", "search_description")
        hub = ExplainerIndexPage.objects.child_of(home).first() or ExplainerIndexPage(show_in_menus=True)
        guide_page = GuidePage.objects.child_of(home).first() or GuidePage(show_in_menus=True)
        existing = {page.key: page for page in ExplainerPage.objects.all()}
        pages: dict[str, tuple[Page, bool, bool]] = {}

        # First the pages themselves (links in bodies need every page's id)...
        def prepare(key: str, page: Page, parent: Page, values: dict) -> None:
            changed = apply_values(page, values, overwrite=overwrite)
            pages[key] = (page, add_page(parent, page), changed)

        hub_values = translated(records[HUB_KEY], *page_fields, source={"search_description": "summary"})
        prepare(HUB_KEY, hub, home, hub_values)
        for key, record in records.items():
            if key == HUB_KEY:
                continue
            page = existing.get(key) or ExplainerPage(key=key)
            values = translated(record, *page_fields, "summary", source={"search_description": "summary"})
            prepare(key, page, hub, values)
        prepare("guide", guide_page, home, translated(guide["page"], *page_fields))

        # ...then the bodies, and one revision per new or changed page.
        pks = {key: page.pk for key, (page, _new, _changed) in pages.items()}
        orders_index = OrderIndexPage.objects.child_of(home).first()
        professions_index = ProfessionIndexPage.objects.child_of(home).first()
        pks.update(
            {
                "orders": getattr(orders_index, "pk", None),
                "professions": getattr(professions_index, "pk", None),
            }
        )
        orders = dict(OrderPage.objects.values_list("key", "pk"))
        for key, (page, is_new, changed) in pages.items():
            if key == "guide":
                body = {
                    "steps": guide_stream(guide, pks),
                    "orders_page_id": pks["orders"],
                    "professions_page_id": pks["professions"],
                }
            else:
                record = records[key]
                body = {
                    f"body_{language}": stream_value(f"{key}/{SOURCE}", record[f"body_{language}"], pks, orders)
                    for language in LANGUAGES
                }
            changed = apply_values(page, body, overwrite=overwrite) or changed
            publish_changes(page, is_new=is_new, changed=changed, report=report, label=key)

        if None in (pks["orders"], pks["professions"]):
            raise ExplainerDataError("no directory pages: run `manage.py load_directory` first")
    return report


def load_explainers_files(
    explainers: Path = EXPLAINERS_FILE,
    guide: Path = GUIDE_FILE,
    *,
    overwrite: bool = False,
) -> LoadReport:
    """Read the two data files, validate them, then load them in one transaction."""
    return load_explainers_data(
        read_json(explainers, ExplainerDataError), read_json(guide, ExplainerDataError), overwrite=overwrite
    )
