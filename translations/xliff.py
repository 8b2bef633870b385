"""A page's translatable text as an XLIFF 1.2 file, for translators working offline or in a CAT tool.

One <trans-unit> per text: a field (id "summary") or a StreamField text block (id "body.<block
id>.<child>"). The header names the page, its type and a signed checksum of the French, so an import
refuses a file for another page, another language, or with edited source text.
"""

import xml.etree.ElementTree as ET

from defusedxml import ElementTree as SafeET
from defusedxml.common import DefusedXmlException

from django.db import transaction
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from wagtail.models import DraftStateMixin

from translations.cleaning import Cleaned, TooLong, clean_targets
from translations.pairs import (
    lost_english,
    lost_message,
    object_texts,
    set_units,
    source_language,
    target_languages,
    text_units,
    translated_fields,
)

NS = "urn:oasis:names:tc:xliff:document:1.2"
SALT = "translations.xliff"


class InvalidFile(Exception):
    """The file cannot be imported; nothing was written."""


def content_type_label(obj) -> str:
    return f"{obj._meta.app_label}.{obj._meta.model_name}"


def source_units(obj) -> list[tuple[str, str]]:
    """(unit id, French text) of every non-empty French text of the object."""
    units = []
    for name in translated_fields(type(obj)):
        units += [(unit, text) for unit, text in text_units(obj, name, source_language()) if text.strip()]
    return units


def checksum(obj_label: str, object_id: str, language: str, units: list[tuple[str, str]]) -> str:
    payload = "\x1e".join([obj_label, object_id, source_language(), language, *(f"{u}\x1f{t}" for u, t in units)])
    return salted_hmac(SALT, payload, algorithm="sha256").hexdigest()


def export_xliff(obj, language: str) -> bytes:
    """The object's French text and current translation in `language` as an XLIFF 1.2 document."""
    ET.register_namespace("", NS)
    units = source_units(obj)
    targets = {}
    for name in translated_fields(type(obj)):
        targets.update(dict(text_units(obj, name, language)))
    root = ET.Element(f"{{{NS}}}xliff", version="1.2")
    file = ET.SubElement(
        root,
        f"{{{NS}}}file",
        {
            "original": f"{content_type_label(obj)}/{obj.pk}",
            "source-language": source_language(),
            "target-language": language,
            "datatype": "html",
        },
    )
    header = ET.SubElement(file, f"{{{NS}}}header")
    group = ET.SubElement(header, f"{{{NS}}}prop-group", name="site_ordre")
    meta = {
        "content-type": content_type_label(obj),
        "object-id": str(obj.pk),
        "checksum": checksum(content_type_label(obj), str(obj.pk), language, units),
    }
    for key, value in meta.items():
        ET.SubElement(group, f"{{{NS}}}prop", {"prop-type": key}).text = value
    body = ET.SubElement(file, f"{{{NS}}}body")
    for unit_id, text in units:
        unit = ET.SubElement(body, f"{{{NS}}}trans-unit", id=unit_id, resname=unit_id)
        ET.SubElement(unit, f"{{{NS}}}source").text = text
        target = targets.get(unit_id) or ""
        ET.SubElement(unit, f"{{{NS}}}target", state="translated" if target.strip() else "new").text = target
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def _parse(content: bytes) -> dict:
    try:
        root = SafeET.fromstring(content)
    except (SafeET.ParseError, DefusedXmlException, ValueError) as error:
        raise InvalidFile(_("This is not a valid XLIFF file.")) from error
    files = root.findall(f"{{{NS}}}file")
    if root.tag != f"{{{NS}}}xliff" or root.get("version") != "1.2" or len(files) != 1:
        raise InvalidFile(_("This is not an XLIFF 1.2 file exported from this site."))
    file = files[0]
    meta = {prop.get("prop-type"): prop.text or "" for prop in file.iter(f"{{{NS}}}prop")}
    units = []
    for unit in file.iter(f"{{{NS}}}trans-unit"):
        source = unit.find(f"{{{NS}}}source")
        target = unit.find(f"{{{NS}}}target")
        units.append(
            (unit.get("id") or "", "" if source is None else source.text or "", None if target is None else target.text)
        )
    return {
        "source_language": file.get("source-language"),
        "target_language": file.get("target-language"),
        "meta": meta,
        "units": units,
    }


def check_xliff(obj, content: bytes) -> tuple[str, dict[str, str], list[Cleaned]]:
    """Validate the file against the object and apply its cleaned translations, or InvalidFile.

    Returns the target language, the translations as applied and the texts that cleaning changed.
    """
    data = _parse(content)
    meta = data["meta"]
    if meta.get("content-type") != content_type_label(obj) or meta.get("object-id") != str(obj.pk):
        raise InvalidFile(_("This file belongs to another page or object: export the file of this page."))
    language = data["target_language"]
    if data["source_language"] != source_language() or language not in target_languages():
        raise InvalidFile(
            _("This file translates from “%(source)s” to “%(target)s”; this site expects French to English.")
            % {"source": data["source_language"], "target": language}
        )
    file_units = [(unit_id, source) for unit_id, source, _target in data["units"]]
    expected = checksum(content_type_label(obj), str(obj.pk), language, file_units)
    if not constant_time_compare(expected, meta.get("checksum", "")):
        raise InvalidFile(_("The file was modified outside its translations (source text or identifiers changed)."))
    if file_units != source_units(obj):
        raise InvalidFile(_("The French of this page changed since the file was exported: export it again."))
    targets = {unit_id: target for unit_id, _source, target in data["units"] if target is not None}
    try:
        targets, cleaned = clean_targets(obj, targets)
    except TooLong as error:
        raise InvalidFile(str(error)) from error
    _apply_keeping_english(obj, language, targets)
    return language, targets, cleaned


def file_identity(content: bytes) -> tuple[str, str]:
    """The (app_label.model, object id) a file says it belongs to, or InvalidFile."""
    meta = _parse(content)["meta"]
    label, object_id = meta.get("content-type", ""), meta.get("object-id", "")
    if label.count(".") != 1 or not object_id:
        raise InvalidFile(_("This is not an XLIFF 1.2 file exported from this site."))
    return label, object_id


def save_imported(obj, user=None):
    """Save an object whose translations were applied: a new draft revision (pages, snippets), never published."""
    with transaction.atomic():
        if isinstance(obj, DraftStateMixin):
            return obj.save_revision(user=user)
        obj.save()
        return obj


def import_xliff(obj, content: bytes, *, user=None) -> list[Cleaned]:
    """Validate the file against the object, then save its translations as one new draft revision.

    Returns the texts that cleaning changed (markup the editor does not allow there).
    """
    _language, _targets, cleaned = check_xliff(obj, content)
    save_imported(obj, user)
    return cleaned


def _apply_keeping_english(obj, language: str, targets: dict[str, str]) -> None:
    """Apply the file's translations, or InvalidFile if that would remove English whose French is there
    (an empty or missing <target> never erases a translation)."""
    before = object_texts(obj, language)
    _apply(obj, language, targets)
    lost = lost_english(before, object_texts(obj, language), object_texts(obj, source_language()))
    if lost:
        raise InvalidFile(lost_message(lost))


def _apply(obj, language: str, targets: dict[str, str]) -> None:
    for name in translated_fields(type(obj)):
        units = [unit_id for unit_id, text in text_units(obj, name, source_language()) if text.strip()]
        if not units or not all(unit_id in targets for unit_id in units):
            continue  # fields without a translation for each of their texts are left as they are
        set_units(obj, name, language, targets)
