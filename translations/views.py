"""Admin views: the translations report, what changed in French, XLIFF export and import."""

import django_filters

from django import forms
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from wagtail.admin.admin_url_finder import AdminURLFinder
from wagtail.admin.auth import permission_denied
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.views.reports import ReportView
from wagtail.admin.widgets import Button
from wagtail.models import Page
from wagtail.permission_policies import ModelPermissionPolicy

from translations import bundles, workspace_views, xliff
from translations.diff import changes_by_text
from translations.models import STATUS_CHOICES, TranslationRecord
from translations.status import latest_state, target_languages, tracked_models

record_policy = ModelPermissionPolicy(TranslationRecord)


def content_type_choices() -> list[tuple[int, str]]:
    types = ContentType.objects.get_for_models(*tracked_models())
    return sorted(
        ((content_type.pk, str(model._meta.verbose_name).capitalize()) for model, content_type in types.items()),
        key=lambda choice: choice[1],
    )


def sections():
    return Page.objects.filter(depth=3).order_by("path")


class TranslationRecordFilterSet(WagtailFilterSet):
    language = django_filters.ChoiceFilter(
        label=gettext_lazy("Language"), choices=lambda: [(code, code.upper()) for code in target_languages()]
    )
    status = django_filters.ChoiceFilter(label=gettext_lazy("Translation status"), choices=STATUS_CHOICES)
    content_type = django_filters.TypedChoiceFilter(
        label=gettext_lazy("Type"), choices=content_type_choices, coerce=int
    )
    section = django_filters.ModelChoiceFilter(label=gettext_lazy("Section"), queryset=lambda request: sections())

    class Meta:
        model = TranslationRecord
        fields = ["status", "content_type", "section", "language"]


class TranslationReportView(ReportView):
    """Every translatable page and snippet with its status in each target language."""

    page_title = gettext_lazy("Translations")
    header_icon = "globe"
    results_template_name = "translations/report_results.html"
    filterset_class = TranslationRecordFilterSet
    index_url_name = "translations_report"
    index_results_url_name = "translations_report_results"
    permission_policy = record_policy
    permission_required = "view"
    list_export = ["title", "language", "status", "content_type", "section", "translated_at"]

    @cached_property
    def header_more_buttons(self):
        return [
            Button(
                gettext_lazy("Export everything to translate (zip)"),
                reverse("translations_export_bundle"),
                icon_name="download",
                priority=10,
            ),
            Button(
                gettext_lazy("Import translations (zip)"),
                reverse("translations_import_bundle"),
                icon_name="upload",
                priority=20,
            ),
        ]

    def get_queryset(self):
        return TranslationRecord.objects.for_report().order_by("status", "title", "pk")

    def decorate_paginated_queryset(self, object_list):
        finder = AdminURLFinder(self.request.user)
        rows = list(object_list)
        objects = {}
        for record in rows:
            model = record.model_class
            if model is not None:
                objects.setdefault(model, set()).add(record.object_id)
        found = {}
        for model, ids in objects.items():
            for obj in model._default_manager.filter(pk__in=ids):
                found[(model, str(obj.pk))] = obj
        for record in rows:
            obj = found.get((record.model_class, record.object_id))
            record.edit_url = finder.get_edit_url(obj) if obj is not None else None
            record.workspace_url = workspace_views.workspace_url(obj, record.language) if obj is not None else None
            record.type_label = str(record.model_class._meta.verbose_name) if record.model_class else ""
        return rows


def _record_for_user(request, pk: int) -> TranslationRecord:
    if not record_policy.user_has_permission(request.user, "view"):
        raise PermissionDenied
    return get_object_or_404(TranslationRecord.objects.for_report(), pk=pk)


def record_changes(request, pk: int):
    """Text by text: what changed in the French since the translation was written, and the English now."""
    record = _record_for_user(request, pk)
    obj = record.get_object()
    if obj is None:
        raise PermissionDenied
    obj = latest_state(obj)
    sections = changes_by_text(obj, record)
    return TemplateResponse(
        request,
        "translations/record_changes.html",
        {
            "record": record,
            "sections": sections,
            "edit_url": AdminURLFinder(request.user).get_edit_url(obj),
            "workspace_url": workspace_views.workspace_url(obj, record.language),
            "is_page": isinstance(obj, Page),
            "page_title": _("What changed in French"),
        },
    )


def _editable_page(request, page_id: int) -> Page:
    page = get_object_or_404(Page, pk=page_id).specific
    if not page.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    return page


def export_page(request, page_id: int):
    """Download the page's French text with its English, as XLIFF 1.2."""
    page = _editable_page(request, page_id)
    language = request.GET.get("language", target_languages()[0])
    if language not in target_languages():
        language = target_languages()[0]
    content = xliff.export_xliff(latest_state(page), language)
    response = HttpResponse(content, content_type="application/x-xliff+xml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="page-{page.pk}-{language}.xlf"'
    return response


def report_cleaned(request, cleaned: list, file_name: str = "") -> None:
    """Tell the translator which imported texts lost markup the editor does not allow there."""
    if not cleaned:
        return
    texts = "; ".join(str(item) for item in cleaned)
    message = ngettext(
        "Markup the editor does not allow there was removed from %(count)d text: %(texts)s. Check it, then submit.",
        "Markup the editor does not allow there was removed from %(count)d texts: %(texts)s. Check them, then submit.",
        len(cleaned),
    ) % {"count": len(cleaned), "texts": texts}
    messages.warning(request, f"{file_name}: {message}" if file_name else message)


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("XLIFF file"))


def import_page(request, page_id: int):
    """Upload a translated XLIFF file: it becomes a new draft revision, or nothing is written."""
    try:
        page = _editable_page(request, page_id)
    except PermissionDenied:
        return permission_denied(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            cleaned = xliff.import_xliff(latest_state(page), form.cleaned_data["file"].read(), user=request.user)
        except xliff.InvalidFile as error:
            form.add_error("file", str(error))
        else:
            messages.success(request, _("The translation was imported as a draft. Review it, then submit it."))
            report_cleaned(request, cleaned)
            return redirect(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    return TemplateResponse(
        request,
        "translations/import.html",
        {"object_title": page.title, "form": form, "page_title": _("Import a translation")},
    )


def _editable_object(request, app_label: str, model_name: str, object_id: str):
    """A translatable page or snippet the user may change, or PermissionDenied / 404."""
    obj = workspace_views.load_object(app_label, model_name, object_id)
    if not bundles.can_edit(request.user, obj):
        raise PermissionDenied
    return obj


def export_object(request, app_label: str, model_name: str, object_id: str):
    """Download one page's or snippet's French text with its English, as XLIFF 1.2."""
    try:
        obj = _editable_object(request, app_label, model_name, object_id)
    except PermissionDenied:
        return permission_denied(request)
    language = request.GET.get("language", target_languages()[0])
    if language not in target_languages():
        language = target_languages()[0]
    response = HttpResponse(
        xliff.export_xliff(latest_state(obj), language), content_type="application/x-xliff+xml; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{bundles.file_name(obj, language)}"'
    return response


def import_object(request, app_label: str, model_name: str, object_id: str):
    """Upload one translated XLIFF file for a page or snippet: a draft (pages) or the saved snippet."""
    try:
        obj = _editable_object(request, app_label, model_name, object_id)
    except PermissionDenied:
        return permission_denied(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            cleaned = xliff.import_xliff(latest_state(obj), form.cleaned_data["file"].read(), user=request.user)
        except xliff.InvalidFile as error:
            form.add_error("file", str(error))
        else:
            messages.success(request, _("The translation was imported. Review it in the workspace."))
            report_cleaned(request, cleaned)
            return redirect(workspace_views.workspace_url(obj))
    return TemplateResponse(
        request,
        "translations/import.html",
        {
            "object_title": getattr(obj, "title", None) or str(obj),
            "form": form,
            "page_title": _("Import a translation"),
        },
    )


def export_bundle(request):
    """A zip of one XLIFF file per missing or out-of-date translation (optionally of one language)."""
    if not record_policy.user_has_permission(request.user, "view"):
        return permission_denied(request)
    language = request.GET.get("language") or None
    if language not in target_languages():
        language = None
    content, count = bundles.export_bundle(language)
    if not count:
        messages.info(request, _("Nothing is missing or out of date: there is nothing to export."))
        return redirect("translations_report")
    response = HttpResponse(content, content_type="application/zip")
    response["Content-Disposition"] = 'attachment; filename="translations-to-do.zip"'
    return response


class BundleForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Zip file of XLIFF files"))


def import_bundle(request):
    """Upload the zip back: every file is checked, then all are saved as drafts, or none is."""
    if not record_policy.user_has_permission(request.user, "view"):
        return permission_denied(request)
    form = BundleForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        imported, errors, cleaned = bundles.import_bundle(form.cleaned_data["file"].read(), request.user)
        for name, texts in cleaned:
            report_cleaned(request, texts, name)
        if imported:
            messages.success(
                request,
                ngettext(
                    "%(count)d translation was imported as a draft.",
                    "%(count)d translations were imported as drafts.",
                    len(imported),
                )
                % {"count": len(imported)},
            )
            return redirect("translations_report")
        form.add_error("file", _("Nothing was imported: correct the files listed below and try again."))
    return TemplateResponse(
        request,
        "translations/import_bundle.html",
        {"form": form, "errors": errors, "page_title": _("Import translations (zip)"), "header_icon": "upload"},
    )


@require_POST
def copy_content(request, page_id: int):
    """wagtail-modeltranslation's "copy from French" for StreamFields, made safe.

    Its view is CSRF-exempt, skips permission checks and answers 500 to a plain GET. Here the
    request must be a CSRF-checked POST by someone who may edit the page; then the original runs.
    """
    _editable_page(request, page_id)
    if request.headers.get("X-Requested-With") != "XMLHttpRequest" or "serializedOriginField" not in request.POST:
        return HttpResponseBadRequest()
    from wagtail_modeltranslation.wagtail_hooks import return_translation_target_field_rendered_html

    return return_translation_target_field_rendered_html(request, page_id)
