"""Load the directory data file into the page tree, creating or updating pages by stable key.

`load_directory` (the command) only parses arguments and calls `load_directory_file`.
"""

from html import escape
from pathlib import Path
from urllib.parse import urlsplit

from django.utils.text import slugify

from home.loaders import (
    LANGUAGES,
    LoadError,
    LoadReport,
    home_page,
    loading,
    read_json,
    save_page,
    save_row,
    translated,
)
from home.models import HomePage
from professions.models import (
    MEMBER_QUALIFIERS,
    PRACTICE_CHOICES,
    OrderIndexPage,
    OrderPage,
    ProfessionIndexPage,
    ProfessionPage,
    Sector,
)
from professions.order_links import LINKS_FILE, OrderLinksError, read_order_links

DATA_FILE = Path(__file__).resolve().parent / "data" / "directory.json"
# Free text editors may rewrite in the admin: only filled when empty, unless overwrite_text.
TEXT_FIELDS = {"summary", "description", "gloss", "synonyms", "intro", "search_description"}
# Deep links are editors' once set: the data only fills them where they are empty.
LINK_FIELDS = {"register_url", "register_url_english", "syndic_url", "syndic_url_english"}


class DirectoryDataError(LoadError):
    """The data file is malformed; the message names the record and the field."""


# --- Parsing and validation ---------------------------------------------------------------


def _where(kind: str, index: int, record: dict) -> str:
    key = record.get("key") if isinstance(record, dict) else None
    return f"{kind}[{index}]" + (f" (key {key!r})" if key else "")


def _require(record: dict, name: str, where: str, kind: type | tuple, *, empty_ok: bool = False):
    if not isinstance(record, dict):
        raise DirectoryDataError(f"{where}: expected an object")
    if name not in record:
        raise DirectoryDataError(f"{where}: field {name!r} is missing")
    value = record[name]
    if not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
        expected = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
        raise DirectoryDataError(f"{where}: field {name!r} should be {expected}, got {value!r}")
    if not empty_ok and value in ("", [], None):
        raise DirectoryDataError(f"{where}: field {name!r} is empty")
    return value


def _require_slug(record: dict, name: str, where: str) -> str:
    value = _require(record, name, where, str)
    if slugify(value) != value:
        raise DirectoryDataError(f"{where}: field {name!r} is not a valid slug: {value!r}")
    return value


def _require_choice(record: dict, name: str, where: str, choices) -> str:
    value = _require(record, name, where, str)
    allowed = [key for key, _label in choices]
    if value not in allowed:
        raise DirectoryDataError(f"{where}: field {name!r} should be one of {', '.join(allowed)}, got {value!r}")
    return value


def _require_url(record: dict, name: str, where: str) -> str:
    value = _require(record, name, where, str, empty_ok=True)
    if value and (urlsplit(value).scheme not in {"http", "https"} or not urlsplit(value).netloc):
        raise DirectoryDataError(f"{where}: field {name!r} is not an http(s) URL: {value!r}")
    return value


def _require_strings(record: dict, name: str, where: str, *, empty_ok: bool = True) -> list[str]:
    values = _require(record, name, where, list, empty_ok=empty_ok)
    for value in values:
        if not isinstance(value, str) or not value.strip():
            raise DirectoryDataError(f"{where}: field {name!r} should hold non-empty strings, got {value!r}")
    return values


def _require_unique_key(record: dict, where: str, seen: dict[str, str]) -> str:
    """The record's key, a slug that no earlier order or profession has (seen: key → where)."""
    key = _require_slug(record, "key", where)
    if key in seen:
        raise DirectoryDataError(f"{where}: field 'key' repeats {seen[key]}")
    seen[key] = where
    return key


def validate_directory(data: dict) -> None:
    """Check the whole data file before anything is written; raise DirectoryDataError."""
    if not isinstance(data, dict):
        raise DirectoryDataError("the file should hold a JSON object with 'sectors' and 'orders'")
    sectors = _require(data, "sectors", "file", list)
    sector_keys = set()
    for index, sector in enumerate(sectors):
        where = _where("sectors", index, sector)
        sector_keys.add(_require_slug(sector, "key", where))
        for language in LANGUAGES:
            _require(sector, f"name_{language}", where, str)
    pages = _require(data, "pages", "file", dict)
    for name in ("orders_index", "professions_index"):
        record = _require(pages, name, "pages", dict)
        for language in LANGUAGES:
            _require_slug(record, f"slug_{language}", f"pages.{name}")
            for attribute in ("title", "intro", "search_description"):
                _require(record, f"{attribute}_{language}", f"pages.{name}", str)

    seen_keys: dict[str, str] = {}
    for index, order in enumerate(_require(data, "orders", "file", list)):
        where = _where("orders", index, order)
        _require_unique_key(order, where, seen_keys)
        for language in LANGUAGES:
            _require_slug(order, f"slug_{language}", where)
            _require(order, f"sort_{language}", where, str)
            _require(order, f"summary_{language}", where, str)
            _require_strings(order, f"description_{language}", where)
        _require(order, "name_fr", where, str)
        _require(order, "gloss_en", where, str, empty_ok=True)
        _require(order, "acronym", where, str, empty_ok=True)
        for name in ("website", "register_url", "syndic_url"):
            _require_url(order, name, where)
        sector = _require(order, "sector", where, str)
        if sector not in sector_keys:
            raise DirectoryDataError(f"{where}: field 'sector' names an unknown sector {sector!r}")
        _require_choice(order, "practice", where, PRACTICE_CHOICES)
        year = _require(order, "founded_year", where, (int, type(None)), empty_ok=True)
        if year is not None and not 1600 <= year <= 2100:
            raise DirectoryDataError(f"{where}: field 'founded_year' is not a plausible year: {year!r}")
        members = _require(order, "members", where, (dict, type(None)), empty_ok=True)
        if members is not None:
            count = _require(members, "count", f"{where}.members", int)
            if count <= 0:
                raise DirectoryDataError(f"{where}.members: field 'count' should be positive, got {count!r}")
            _require_choice(members, "qualifier", f"{where}.members", MEMBER_QUALIFIERS)
            _require(members, "year", f"{where}.members", int)
        professions = _require(order, "professions", where, list)
        for p_index, profession in enumerate(professions):
            p_where = f"{where}." + _where("professions", p_index, profession)
            _require_unique_key(profession, p_where, seen_keys)
            for language in LANGUAGES:
                _require_slug(profession, f"slug_{language}", p_where)
                _require(profession, f"title_{language}", p_where, str)
                _require(profession, f"summary_{language}", p_where, str)
                _require_strings(profession, f"description_{language}", p_where)
                _require_strings(profession, f"synonyms_{language}", p_where)
            _require_strings(profession, "reserved_titles_fr", p_where, empty_ok=False)
            _require_strings(profession, "abbreviations", p_where)
            _require_choice(profession, "practice", p_where, PRACTICE_CHOICES)


def read_directory(path: Path = DATA_FILE) -> dict:
    """Read and validate the data file."""
    data = read_json(path, DirectoryDataError)
    validate_directory(data)
    return data


# --- Writing pages -------------------------------------------------------------------------


def paragraphs_html(paragraphs: list[str]) -> str:
    """Rich text from plain paragraphs (the data holds no HTML)."""
    return "".join(f"<p>{escape(text)}</p>" for text in paragraphs)


def _save_page(parent, page, values: dict, overwrite_text: bool, report: LoadReport, label: str):
    """Create or update a directory page: facts follow the file, editors' text and links stay."""
    rule = {"overwrite": overwrite_text, "editors_fields": TEXT_FIELDS, "locked": LINK_FIELDS}
    return save_page(parent, page, values, report=report, label=label, **rule)


def _index_page(model, home: HomePage, record: dict, overwrite_text: bool, report: LoadReport, label: str):
    page = model.objects.child_of(home).first() or model(show_in_menus=True)
    values = translated(record, "title", "slug", "intro", "search_description")
    return _save_page(home, page, values, overwrite_text, report, label)


def load_directory_data(
    data: dict, *, overwrite_text: bool = False, order_links: dict[str, dict[str, str]] | None = None
) -> LoadReport:
    """Create or update sectors, the two index pages, every order and every profession.

    order_links ({order key: {link field: address}}, from order_links.json) fills empty link fields.
    """
    order_links = order_links or {}
    report = LoadReport()
    home = home_page(DirectoryDataError)
    with loading():
        sectors = {}
        for position, record in enumerate(data["sectors"]):
            sector = Sector.objects.filter(key=record["key"]).first() or Sector(key=record["key"])
            save_row(sector, {**translated(record, "name"), "sort_order": position}, overwrite=True)
            sectors[record["key"]] = sector
        order_index = _index_page(
            OrderIndexPage, home, data["pages"]["orders_index"], overwrite_text, report, "orders index"
        )
        _index_page(
            ProfessionIndexPage,
            home,
            data["pages"]["professions_index"],
            overwrite_text,
            report,
            "professions index",
        )
        existing_orders = {page.key: page for page in OrderPage.objects.child_of(order_index)}
        existing_professions = {page.key: page for page in ProfessionPage.objects.descendant_of(order_index)}
        for record in data["orders"]:
            members = record["members"] or {}
            order_values = {
                "title_fr": record["name_fr"],
                "title_en": record["name_fr"],  # official names stay in French in English text
                **translated(record, "slug", "summary"),
                "gloss_fr": "",
                "gloss_en": record["gloss_en"],
                **translated(record, "sort_name", source={"sort_name": "sort"}),
                **translated(record, "search_description", source={"search_description": "summary"}),
                **{
                    f"description_{language}": paragraphs_html(record[f"description_{language}"])
                    for language in LANGUAGES
                },
                "acronym": record["acronym"],
                "website": record["website"],
                "register_url": record["register_url"],
                "syndic_url": record["syndic_url"],
                **{
                    name: value
                    for name, value in order_links.get(record["key"], {}).items()
                    if not record.get(name)  # the directory file's own address comes first
                },
                "sector_id": sectors[record["sector"]].pk,
                "practice": record["practice"],
                "founded_year": record["founded_year"],
                "members_count": members.get("count"),
                "members_qualifier": members.get("qualifier", ""),
                "members_year": members.get("year"),
            }
            order = existing_orders.get(record["key"]) or OrderPage(key=record["key"], show_in_menus=False)
            order = _save_page(order_index, order, order_values, overwrite_text, report, record["key"])
            for profession_record in record["professions"]:
                profession_values = {
                    **translated(
                        profession_record,
                        *("title", "slug", "summary", "search_description"),
                        source={"search_description": "summary"},
                    ),
                    **{
                        f"description_{language}": paragraphs_html(profession_record[f"description_{language}"])
                        for language in LANGUAGES
                    },
                    **{
                        f"synonyms_{language}": ", ".join(profession_record[f"synonyms_{language}"])
                        for language in LANGUAGES
                    },
                    "reserved_titles": "\n".join(profession_record["reserved_titles_fr"]),
                    "abbreviations": ", ".join(profession_record["abbreviations"]),
                    "practice": profession_record["practice"],
                }
                profession = existing_professions.get(profession_record["key"])
                if profession is not None and not profession.path.startswith(order.path):
                    raise DirectoryDataError(
                        f"profession {profession_record['key']!r} sits under another order in the site; "
                        "move it in the admin first"
                    )
                profession = profession or ProfessionPage(key=profession_record["key"])
                _save_page(order, profession, profession_values, overwrite_text, report, profession_record["key"])
    return report


def load_directory_file(
    path: Path = DATA_FILE, *, overwrite_text: bool = False, links_path: Path | None = LINKS_FILE
) -> LoadReport:
    """Validate the files (directory, then the orders' links unless links_path is None), then load them."""
    data = read_directory(path)
    order_links = None
    if links_path is not None:
        try:
            order_links = read_order_links(links_path)
        except OrderLinksError as error:
            raise DirectoryDataError(f"links file: {error}") from error
    return load_directory_data(data, overwrite_text=overwrite_text, order_links=order_links)
