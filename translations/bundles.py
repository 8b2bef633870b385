"""Every missing or out-of-date translation at once: one XLIFF file per item, zipped, and back.

The import checks every file first (the same checks as one file: right object, language pair,
untouched French, the French unchanged since the export) and writes nothing unless all pass.
"""

import io
import zipfile

from django.apps import apps
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from wagtail.models import Page

from translations import xliff
from translations.models import MISSING, STALE, TranslationRecord
from translations.status import is_tracked, latest_state

MAX_FILES = 2000
MAX_UNCOMPRESSED = 50 * 1024 * 1024


def file_name(obj: models.Model, language: str) -> str:
    return f"{xliff.content_type_label(obj)}-{obj.pk}-{language}.xlf"


def records_to_translate(language: str | None = None):
    records = TranslationRecord.objects.for_report().filter(status__in=[MISSING, STALE])
    if language:
        records = records.filter(language=language)
    return records.order_by("content_type_id", "object_id", "language")


def export_bundle(language: str | None = None) -> tuple[bytes, int]:
    """A zip of one XLIFF file per missing or out-of-date translation, and how many files it holds."""
    buffer = io.BytesIO()
    count = 0
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for record in records_to_translate(language):
            obj = record.get_object()
            if obj is None:
                continue
            if isinstance(obj, Page):
                obj = obj.specific
            obj = latest_state(obj)
            archive.writestr(file_name(obj, record.language), xliff.export_xliff(obj, record.language))
            count += 1
    return buffer.getvalue(), count


def can_edit(user: AbstractUser, obj: models.Model) -> bool:
    if isinstance(obj, Page):
        return obj.permissions_for_user(user).can_edit()
    meta = type(obj)._meta
    return user.has_perm(f"{meta.app_label}.change_{meta.model_name}")


def _object_for(label: str, object_id: str) -> models.Model | None:
    app_label, _dot, model_name = label.partition(".")
    try:
        model = apps.get_model(app_label, model_name)
    except LookupError:
        return None
    if not is_tracked(model):
        return None
    try:
        obj = model._default_manager.filter(pk=object_id).first()
    except (ValueError, ValidationError):
        return None
    return latest_state(obj) if obj is not None else None


def read_bundle(content: bytes) -> list[tuple[str, bytes]]:
    """The XLIFF files of a zip, or InvalidFile for something that is not a reasonable zip of them."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        infos = [info for info in archive.infolist() if not info.is_dir()]
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise xliff.InvalidFile(_("This is not a zip file.")) from error
    if not infos:
        raise xliff.InvalidFile(_("The zip file is empty."))
    if len(infos) > MAX_FILES or sum(info.file_size for info in infos) > MAX_UNCOMPRESSED:
        raise xliff.InvalidFile(_("The zip file is too large."))
    files = []
    for info in infos:
        if not info.filename.lower().endswith((".xlf", ".xliff")):
            raise xliff.InvalidFile(
                _("“%(name)s” is not an XLIFF file (.xlf): the zip may hold XLIFF files only.")
                % {"name": info.filename}
            )
        try:
            files.append((info.filename, archive.read(info)))
        except (zipfile.BadZipFile, OSError, ValueError, RuntimeError) as error:
            raise xliff.InvalidFile(_("The zip file is damaged.")) from error
    return files


def import_bundle(
    content: bytes, user: AbstractUser
) -> tuple[list[str], list[tuple[str, str]], list[tuple[str, list[xliff.Cleaned]]]]:
    """Check every file of the zip, then save them all (drafts for pages) or nothing.

    Returns (names of the files imported, [], [(file name, texts cleaned), …]) or
    ([], [(file name, what is wrong), …], []).
    """
    try:
        files = read_bundle(content)
    except xliff.InvalidFile as error:
        return [], [("", str(error))], []
    checked, errors, seen, cleaned = [], [], set(), []
    for name, data in files:
        try:
            label, object_id = xliff.file_identity(data)
            obj = _object_for(label, object_id)
            if obj is None:
                raise xliff.InvalidFile(_("The page or item of this file no longer exists."))
            if not can_edit(user, obj):
                raise xliff.InvalidFile(_("You may not change this page or item."))
            language, _targets, cleaned_texts = xliff.check_xliff(obj, data)
            if (label, object_id, language) in seen:
                raise xliff.InvalidFile(_("Another file of the zip translates the same item."))
            seen.add((label, object_id, language))
            checked.append((name, obj))
            if cleaned_texts:
                cleaned.append((name, cleaned_texts))
        except xliff.InvalidFile as error:
            errors.append((name, str(error)))
    if errors:
        return [], errors, []
    with transaction.atomic():
        for _name, obj in checked:
            xliff.save_imported(obj, user)
    return [name for name, _obj in checked], [], cleaned
