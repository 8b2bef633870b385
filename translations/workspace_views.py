"""The workspace view: French beside English, saved as a draft, submitted, or approved by a moderator."""

from django.apps import apps
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from wagtail.admin.admin_url_finder import AdminURLFinder
from wagtail.admin.auth import permission_denied
from wagtail.admin.rich_text.converters.contentstate import ContentstateConverter
from wagtail.models import DraftStateMixin, Page, WorkflowMixin, WorkflowState
from wagtail.rich_text import features as feature_registry

from translations.models import TranslationRecord
from translations.pairs import EnglishLost
from translations.status import is_tracked, latest_state, target_languages
from translations.workspace import (
    attach_suggestions,
    build_sections,
    english_texts,
    save_translation,
    workspace_form,
)


def workspace_url(obj: models.Model, language: str | None = None) -> str:
    """The workspace of a page or snippet (the concrete model: a page's specific type is found again)."""
    meta = (Page if isinstance(obj, Page) else type(obj))._meta
    url = reverse("translations_workspace", args=[meta.app_label, meta.model_name, obj.pk])
    return f"{url}?{urlencode({'language': language})}" if language else url


def load_object(app_label: str, model_name: str, object_id: str) -> models.Model:
    try:
        model = apps.get_model(app_label, model_name)
    except LookupError as error:
        raise Http404 from error
    if model is Page:
        page = get_object_or_404(Page, pk=object_id if object_id.isdigit() else None)
        return page.specific
    if not is_tracked(model):
        raise Http404
    try:
        return get_object_or_404(model._default_manager, pk=object_id)
    except (ValueError, ValidationError) as error:  # not a key of this model ("abc" for a number)
        raise Http404 from error


class Access:
    """What the user may do in the workspace of this object."""

    def __init__(self, obj: models.Model, user):
        self.task_state = None
        self.workflow_state = None
        self.workflow = None
        self.locked = False
        self.can_submit = False
        self.actions = []
        if isinstance(obj, Page):
            permissions = obj.permissions_for_user(user)
            self.can_edit = permissions.can_edit()
            self.workflow_state = obj.current_workflow_state
            # Read once: Wagtail's properties (current task state, lock) would each query it again.
            obj._current_workflow_states = [self.workflow_state] if self.workflow_state else []
            self.task_state = obj.current_workflow_task_state
            if self.task_state is not None:
                self.actions = self.task_state.task.specific.get_actions(obj, user)
            lock = obj.get_lock()
            self.locked = lock is not None and lock.for_user(user)
            # Wagtail's can_submit_for_moderation(), without reading the lock and workflow again.
            if self.can_edit and self.task_state is None and not self.locked:
                self.workflow = obj.get_workflow()
                self.can_submit = self.workflow is not None
        else:
            meta = type(obj)._meta
            self.can_edit = user.has_perm(f"{meta.app_label}.change_{meta.model_name}")
            if isinstance(obj, WorkflowMixin):  # snippets: drafts go through the same moderation
                self.workflow_state = obj.current_workflow_state
                self.task_state = obj.current_workflow_task_state
                if self.task_state is not None:
                    self.actions = self.task_state.task.specific.get_actions(obj, user)
                elif self.can_edit:
                    self.workflow = obj.get_workflow()
                    self.can_submit = self.workflow is not None
        self.can_approve = any(name == "approve" for name, *_rest in self.actions)
        self.can_view = self.can_edit or self.can_approve
        self.read_only = self.locked or not self.can_edit


def workspace(request, app_label: str, model_name: str, object_id: str):
    """One row per French text with its English input, the status and the help for each."""
    obj = load_object(app_label, model_name, object_id)
    access = Access(obj, request.user)
    if not access.can_view:
        return permission_denied(request)
    languages = target_languages()
    language = request.POST.get("language") or request.GET.get("language") or languages[0]
    if language not in languages:
        language = languages[0]
    latest = latest_state(obj)
    content_type = ContentType.objects.get_for_model(obj, for_concrete_model=True)
    record = TranslationRecord.objects.filter(
        content_type=content_type, object_id=str(obj.pk), language=language
    ).first()
    sections = build_sections(latest, language, record)
    attach_suggestions(latest, language, sections)
    _attach_editor_values(sections)
    form = workspace_form(latest, sections, disabled=access.read_only)

    if request.method == "POST":
        action = request.POST.get("action", "")
        form = workspace_form(latest, sections, data=request.POST, disabled=access.read_only)
        if action.startswith("use:"):
            form = _use_suggestion(request, latest, sections, action, access.read_only) or form
        elif action in ("save", "submit", "approve", "reject"):
            if action in ("approve", "reject") and not access.can_approve:
                return permission_denied(request)
            done = _act(request, obj, latest, language, sections, form, access, action)
            if done:
                return redirect(workspace_url(obj, language))
        else:
            messages.error(request, _("Unknown action."))

    counts = dict.fromkeys(("missing", "stale", "up_to_date"), 0)
    for section in sections:
        for row in section.rows:
            counts[row.status] += 1
            row.bound = form[row.input_name]
    return TemplateResponse(
        request,
        "translations/workspace.html",
        {
            "object": obj,
            "title": _title(latest),
            "page_title": _("Translate side by side"),
            "header_icon": "globe",
            "language": language,
            "languages": languages,
            "record": record,
            "sections": sections,
            "form": form,
            "media": form.media,
            "access": access,
            "counts": counts,
            "edit_url": AdminURLFinder(request.user).get_edit_url(obj),
            "is_page": isinstance(obj, Page),
            "drafts": isinstance(obj, DraftStateMixin),
            "report_url": reverse("translations_report"),
            "xliff_args": [obj._meta.app_label, obj._meta.model_name, obj.pk],
        },
    )


def _attach_editor_values(sections) -> None:
    """Each suggestion with the value its row's input takes (Draftail's JSON for rich text), for the script."""
    for section in sections:
        for row in section.rows:
            converter = None
            if row.kind == "rich":
                converter = ContentstateConverter(list(row.features or feature_registry.get_default_features()))
            row.suggestion_items = [
                {"suggestion": s, "value": converter.from_database_format(s.text) if converter else s.text}
                for s in row.suggestions
            ]


def _title(obj: models.Model) -> str:
    return getattr(obj, "title_fr", None) or str(obj)


def _use_suggestion(request, obj, sections, action: str, disabled: bool):
    """The form as sent, with a suggestion's English in its input; nothing is saved until the translator saves."""
    _use, input_name, entry_id = [*action.split(":", 2), ""][:3]
    row = next((row for s in sections for row in s.rows if row.input_name == input_name), None)
    items = row.suggestion_items if row is not None else []
    item = next((item for item in items if str(item["suggestion"].id) == entry_id), None)
    if item is None:
        messages.error(request, _("This suggestion is no longer available."))
        return None
    data = request.POST.copy()
    data[input_name] = item["value"]
    messages.info(
        request,
        _("The suggestion from “%(origin)s” is in the field. Save to keep it.") % {"origin": item["suggestion"].origin},
    )
    return workspace_form(obj, sections, data=data, disabled=disabled)


def _act(request, obj, latest, language, sections, form, access: Access, action: str) -> bool:
    """Save, submit, approve or send back; False when the form has to be shown again."""
    if action in ("save", "submit") and access.read_only:
        messages.error(request, _("This translation cannot be changed now (awaiting moderation or locked)."))
        return False
    if action == "submit" and not access.can_submit:
        if access.task_state is not None:
            messages.error(
                request,
                _("This page is already awaiting moderation: submit it again once the moderators have reviewed it."),
            )
        else:
            messages.error(request, _("This cannot be submitted for moderation."))
        return False
    if not form.is_valid():
        messages.error(request, _("The translation could not be saved. Correct the fields marked below."))
        return False
    state = access.workflow_state
    resumes = state is not None and state.status == WorkflowState.STATUS_NEEDS_CHANGES
    if action == "submit" and access.workflow is None and not resumes:
        messages.error(
            request,
            _("This cannot be submitted: it is already awaiting moderation, or no moderation workflow applies to it."),
        )
        return False
    with transaction.atomic():
        writes = not access.read_only and (action in ("save", "submit") or form.has_changed())
        if writes and not _save(request, latest, language, sections, form):
            return False
        if action == "submit":
            if resumes:
                state.resume(request.user)  # sent back by a moderator: the same workflow goes on
            else:
                access.workflow.start(latest, request.user)
            messages.success(request, _("The translation was saved and submitted for moderation."))
        elif action == "save":
            if isinstance(obj, DraftStateMixin):
                messages.success(request, _("The translation was saved as a draft (not published)."))
            else:
                messages.success(request, _("The translation was saved."))
        else:
            task_state = access.task_state
            task_state.task.specific.on_action(task_state, request.user, action)
            if action == "approve":
                messages.success(request, _("The translation was approved."))
            else:
                messages.success(request, _("The translation was sent back to the translator."))
    return True


def _save(request, latest, language, sections, form) -> bool:
    """Save the translation, or say which English texts the save would have removed (nothing saved)."""
    try:
        save_translation(latest, language, sections, english_texts(form, sections), request.user)
    except EnglishLost as error:
        messages.error(request, str(error))
        return False
    return True
