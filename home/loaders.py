"""The page-loading toolkit of every loader: directory, explainers, other bodies, home, blog, seed_site.

A loader reads a JSON data file (`read_json`), then creates or updates objects by a stable key in
one transaction (`loading`): `save_page` under a parent page, publishing a revision only when
something changed, or `save_row` for snippets. `apply_values` is the one rule for editors' text:
a new object takes every value; on a saved object a field that editors may rewrite keeps what it
holds unless `overwrite`, and only empty fields are filled. Running a loader twice changes nothing.
`LoadCommand` is the management command around a loader.
"""

import dataclasses
import json
import re
import uuid
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import models, transaction
from django.dispatch import Signal
from django.utils import translation

from wagtail.blocks import StreamValue
from wagtail.models import Page

from home.models import HomePage

LANGUAGES = tuple(code for code, _name in settings.LANGUAGES)
# Block ids are seeded from the French place of a block in both languages: an English block has the
# id of its French block (that is how translations pair them), so a French insert shifts nothing.
SOURCE = settings.MODELTRANSLATION_DEFAULT_LANGUAGE
# A link to a page by its key in a data file's rich text: <a href="page:guide">.
PAGE_LINK = re.compile(r'href="page:([a-z0-9-]+)"')
# Words of the data set's notes for editors (sources, caveats, what was not seen or checked). They
# belong in a record's notes/sources fields, which loaders never read, not in public text.
EDITORS_NOTE = re.compile(
    r"not seen|pas vue?s?\b|no official english name|not official|non officiel|descriptive english name|"
    r"\(descriptive|from memory|de mémoire|not verified|unverified|non vérifiée?s?|own translation|own wording|"
    r"to be checked|à confirmer|was ignored|legal_basis|\(sic\)|\btodo\b|\bfixme\b",
    re.IGNORECASE,
)


# Sent by apply_values when it changed a saved object (`previous`: the attributes' former values), so
# that other apps may refuse the change with a LoadError (translations: no English may be lost).
values_applied = Signal()


class LoadError(ValueError):
    """A data file is malformed or names what does not exist; nothing was written."""


@dataclasses.dataclass
class LoadReport:
    """What a create-or-update-by-key loader did, by label."""

    created: list[str] = dataclasses.field(default_factory=list)
    updated: list[str] = dataclasses.field(default_factory=list)
    unchanged: list[str] = dataclasses.field(default_factory=list)

    def add(self, state: str, label: str) -> None:
        """Record `label` under `state`: "created", "updated" or "unchanged"."""
        getattr(self, state).append(label)

    def __str__(self) -> str:
        return f"{len(self.created)} created, {len(self.updated)} updated, {len(self.unchanged)} unchanged"


# --- Reading -----------------------------------------------------------------------------------


def read_json(path: Path, error: type[LoadError], what: str = "data file") -> dict | list:
    """Parse a UTF-8 JSON file; a missing or malformed file raises `error` naming the path and the spot."""
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError as caught:
        raise error(f"no {what} at {path}") from caught
    except UnicodeDecodeError as caught:
        raise error(f"{path} is not UTF-8 text") from caught
    except json.JSONDecodeError as caught:
        raise error(f"{path} is not valid JSON (line {caught.lineno}, column {caught.colno})") from caught


def translated(record: dict, *names: str, source: dict[str, str] | None = None) -> dict:
    """`{name_fr: …, name_en: …}` for each name, read from the record's `<source name>_<language>` keys."""
    source = source or {}
    return {
        f"{name}_{language}": record[f"{source.get(name, name)}_{language}"] for name in names for language in LANGUAGES
    }


def link_pages(html: str, pks: dict[str, int]) -> str:
    """Rich text whose `href="page:<key>"` links become Wagtail page links to `pks[key]`."""
    return PAGE_LINK.sub(lambda match: f'linktype="page" id="{pks[match.group(1)]}"', html)


def stable_id(namespace: uuid.UUID, where: str) -> str:
    """A block id that the same data gives on every run, so a second run finds nothing changed."""
    return str(uuid.uuid5(namespace, where))


# --- The rule for editors' text -----------------------------------------------------------------


def _content(value, like=None):
    """Comparable content: StreamField data as stored JSON without block ids; other values as they are."""
    if not isinstance(like, StreamValue):
        return value
    if not isinstance(value, StreamValue):
        value = like.stream_block.to_python(value)

    def without_ids(data):
        if isinstance(data, dict):
            return {key: without_ids(item) for key, item in data.items() if key != "id"}
        if isinstance(data, list):
            return [without_ids(item) for item in data]
        return data

    return without_ids(json.loads(json.dumps(value.get_prep_value(), default=str)))


def editors_note_in(value) -> str:
    """The first words of an editors' note in a value (text, or StreamField/list data), else ""."""
    if isinstance(value, StreamValue):
        value = _content(value, value)
    if isinstance(value, list | dict):
        value = json.dumps(value, ensure_ascii=False, default=str)
    found = EDITORS_NOTE.search(value) if isinstance(value, str) else None
    return found.group(0) if found else ""


def is_empty(value) -> bool:
    """Nothing there yet: None, "", 0 or an empty stream or list."""
    return not value


def apply_values(
    obj: models.Model,
    values: dict,
    *,
    overwrite: bool = False,
    editors_fields: Collection[str] | None = None,
    locked: Collection[str] = (),
) -> list[str]:
    """Set the attributes whose value differs, keeping editors' text; return the names set.

    A value holding an editors' note (`EDITORS_NOTE`) is refused with LoadError, so nothing of the
    file is written. On a saved object, a filled field that editors may rewrite is kept unless `overwrite`
    (or unless it holds an editors' note):
    `editors_fields` names them without their language suffix (None: every field). A `locked`
    field (a deep link) is never emptied nor replaced once filled, even with `overwrite`.
    """
    changed, previous = [], {}
    for attribute, value in values.items():
        note = editors_note_in(value)
        if note:
            label = getattr(obj, "key", "") or getattr(obj, "slug", "") or type(obj).__name__
            raise LoadError(f"{label}: '{attribute}' holds an editors' note (“{note}”); keep notes out of public text")
        current = getattr(obj, attribute)
        if _content(current, current) == _content(value, current):
            continue
        if attribute in locked and (not is_empty(current) or is_empty(value)):
            continue
        # Text that carries an editors' note came from an older data file, not from editors: replace it.
        if (
            obj.pk
            and not overwrite
            and not is_empty(current)
            and _editable(attribute, editors_fields)
            and not editors_note_in(current)
        ):
            continue
        previous[attribute] = current
        setattr(obj, attribute, value)
        changed.append(attribute)
    if obj.pk and changed:
        values_applied.send(sender=type(obj), instance=obj, previous=previous)
    return changed


def _editable(attribute: str, editors_fields: Collection[str] | None) -> bool:
    if editors_fields is None:
        return True
    name, _sep, suffix = attribute.rpartition("_")
    return (name if suffix in LANGUAGES else attribute) in editors_fields


# --- Writing -----------------------------------------------------------------------------------


@contextmanager
def loading() -> Iterator[None]:
    """One transaction (a bad record writes nothing) in the default language (plain `title`
    and `slug` address the French columns)."""
    with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
        yield


def home_page(error: type[LoadError]) -> HomePage:
    """The site's home page, which every loaded page hangs from; `error` if seed_site has not run."""
    home = HomePage.objects.first()
    if home is None:
        raise error("no home page: run `manage.py seed_site` first")
    return home


def publish(page: Page) -> None:
    """Save a revision of the page and publish it."""
    page.save_revision().publish()


def add_page(parent: Page, page: Page) -> bool:
    """Put a new page under parent (an existing one stays where it is); True if it is new."""
    if page.pk is not None:
        return False
    parent.add_child(instance=page)
    return True


def publish_changes(page: Page, *, is_new: bool, changed: bool | list[str], report: LoadReport, label: str) -> None:
    """Publish a revision of a new or changed page, and say which it was."""
    if is_new or changed:
        publish(page)
    report.add("created" if is_new else "updated" if changed else "unchanged", label)


def save_page(parent: Page, page: Page, values: dict, *, report: LoadReport, label: str, **rule) -> Page:
    """Create the page under parent, or publish a new revision if the values changed it (`rule`:
    apply_values' overwrite, editors_fields, locked)."""
    is_new = page.pk is None
    changed = apply_values(page, values, **rule)
    add_page(parent, page)
    publish_changes(page, is_new=is_new, changed=changed, report=report, label=label)
    return page


def save_row(obj: models.Model, values: dict, *, report: LoadReport | None = None, label: str = "", **rule) -> str:
    """Create or update a plain row (snippet, sector) under the same rule; return what happened."""
    is_new = obj.pk is None
    changed = apply_values(obj, values, **rule)
    state = "created" if is_new else "updated" if changed else "unchanged"
    if is_new or changed:
        obj.save()
    if report is not None:
        report.add(state, label)
    return state


# --- The command ------------------------------------------------------------------------------


class LoadCommand(BaseCommand):
    """A load_* command: parse the options, call `load`, print what changed; a bad file loads nothing."""

    subject = "Data"
    overwrite_option = "--overwrite"
    overwrite_help = "Also replace text that editors changed in the admin (else only empty fields are filled)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(self.overwrite_option, action="store_true", help=self.overwrite_help)

    def load(self, **options) -> LoadReport:
        raise NotImplementedError

    def handle(self, *args, **options) -> None:
        try:
            report = self.load(**options)
        except LoadError as error:
            raise CommandError(f"Nothing was loaded: {error}") from error
        self.stdout.write(self.style.SUCCESS(f"{self.subject} loaded: {report}."))
