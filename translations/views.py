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
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from wagtail.admin.admin_url_finder import AdminURLFinder
from wagtail.admin.auth import permission_denied
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.views.reports import ReportView
from wagtail.models import Page
from wagtail.permission_policies import ModelPermissionPolicy

from translations import xliff
from translations.diff import word_diff
from translations.models import STATUS_CHOICES, TranslationRecord
from translations.status import field_texts, latest_state, source_language, target_languages, tracked_models
from translations.workspace_views import workspace_url

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
            record.workspace_url = workspace_url(obj, record.language) if obj is not None else None
            record.type_label = str(record.model_class._meta.verbose_name) if record.model_class else ""
        return rows


def _record_for_user(request, pk: int) -> TranslationRecord:
    if not record_policy.user_has_permission(request.user, "view"):
        raise PermissionDenied
    return get_object_or_404(TranslationRecord.objects.for_report(), pk=pk)


def record_changes(request, pk: int):
    """Per field: the French the translation was made from, the French now, and the English now."""
    record = _record_for_user(request, pk)
    obj = record.get_object()
    if obj is None:
        raise PermissionDenied
    obj = latest_state(obj)
    french = field_texts(obj, source_language())
    target = field_texts(obj, record.language)
    labels = {name: obj._meta.get_field(name).verbose_name for name in french}
    fields = [
        {
            "name": name,
            "label": str(labels[name]).capitalize(),
            "changed": name in record.changed_fields,
            "missing": name in record.missing_fields,
            "diff": word_diff(record.source_snapshot.get(name, ""), french[name]),
            "translation": target[name],
        }
        for name in french
        if name in record.changed_fields or name in record.missing_fields
    ]
    return TemplateResponse(
        request,
        "translations/record_changes.html",
        {
            "record": record,
            "fields": fields,
            "edit_url": AdminURLFinder(request.user).get_edit_url(obj),
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
            xliff.import_xliff(latest_state(page), form.cleaned_data["file"].read(), user=request.user)
        except xliff.InvalidFile as error:
            form.add_error("file", str(error))
        else:
            messages.success(request, _("The translation was imported as a draft. Review it, then submit it."))
            return redirect(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    return TemplateResponse(
        request,
        "translations/import.html",
        {"page": page, "form": form, "page_title": _("Import a translation")},
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
