from django.db.models import CharField, OuterRef, Subquery
from django.db.models.functions import Cast
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column
from wagtail.admin.widgets import Button

from translations import bundles, public, views, workspace_views
from translations.models import STATUS_CHOICES, TranslationRecord
from translations.status import target_languages


@hooks.register("register_admin_urls", order=-1)
def register_admin_urls():
    # Before wagtail-modeltranslation's own pattern, which answers 500 to a GET (see views.copy_content).
    return [
        path(
            "pages/<int:page_id>/edit/copy_translation_content/", views.copy_content, name="translations_copy_content"
        ),
        path("translations/", views.TranslationReportView.as_view(), name="translations_report"),
        path(
            "translations/results/",
            views.TranslationReportView.as_view(results_only=True),
            name="translations_report_results",
        ),
        path("translations/<int:pk>/", views.record_changes, name="translations_record"),
        path(
            "translations/workspace/<str:app_label>/<str:model_name>/<str:object_id>/",
            workspace_views.workspace,
            name="translations_workspace",
        ),
        path("translations/pages/<int:page_id>/export/", views.export_page, name="translations_export"),
        path("translations/zip/export/", views.export_bundle, name="translations_export_bundle"),
        path("translations/zip/import/", views.import_bundle, name="translations_import_bundle"),
        path(
            "translations/xliff/<str:app_label>/<str:model_name>/<str:object_id>/export/",
            views.export_object,
            name="translations_export_object",
        ),
        path(
            "translations/xliff/<str:app_label>/<str:model_name>/<str:object_id>/import/",
            views.import_object,
            name="translations_import_object",
        ),
        path("translations/pages/<int:page_id>/import/", views.import_page, name="translations_import"),
    ]


class TranslationColumn(Column):
    """The explorer's column: the page's translation status, linking to its workspace."""

    cell_template_name = "translations/explorer_cell.html"

    def get_value(self, instance):
        return dict(STATUS_CHOICES).get(getattr(instance, "translation_status", None), "")

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        if context["value"]:
            context["url"] = workspace_views.workspace_url(instance)
            context["page_title"] = instance.get_admin_display_title()
        return context


class TranslationsMenuItem(MenuItem):
    def is_shown(self, request):
        return views.record_policy.user_has_permission(request.user, "view")


@hooks.register("register_admin_menu_item")
def register_translations_menu_item():
    return TranslationsMenuItem(_("Translations"), reverse("translations_report"), icon_name="globe", order=250)


class TranslationsPanel(Component):
    """Dashboard counts of what is missing or out of date, linking to the filtered report."""

    name = "translations"
    order = 90
    template_name = "translations/dashboard_panel.html"

    def get_context_data(self, parent_context=None):
        report_url = reverse("translations_report")
        rows = []
        for language in target_languages():
            counts = TranslationRecord.objects.filter(language=language).counts_by_status()
            rows.append(
                {
                    "language": language,
                    "statuses": [
                        {
                            "label": label,
                            "count": counts[status],
                            "url": f"{report_url}?language={language}&status={status}",
                        }
                        for status, label in STATUS_CHOICES
                    ],
                }
            )
        return {"rows": rows, "report_url": report_url}


@hooks.register("construct_homepage_panels")
def add_translations_panel(request, panels):
    if views.record_policy.user_has_permission(request.user, "view"):
        panels.append(TranslationsPanel())


@hooks.register("construct_explorer_page_queryset")
def annotate_translation_status(parent_page, pages, request):
    """Each listed page's status in the first target language, for the explorer's column."""
    records = TranslationRecord.objects.filter(
        content_type_id=OuterRef("content_type_id"),
        object_id=Cast(OuterRef("pk"), CharField()),
        language=target_languages()[0],
    )
    return pages.annotate(translation_status=Subquery(records.values("status")[:1]))


@hooks.register("register_page_header_buttons")
def translation_file_buttons(page, user, view_name, next_url=None):
    if not page.specific_class or not page.permissions_for_user(user).can_edit():
        if page.specific_class and _can_review(page, user):
            yield Button(
                _("Translate side by side"), workspace_views.workspace_url(page), icon_name="globe", priority=79
            )
        return
    from translations.status import is_tracked

    if is_tracked(page.specific_class):
        yield Button(
            _("Translate side by side"),
            workspace_views.workspace_url(page),
            icon_name="globe",
            priority=79,
        )
        yield Button(
            _("Export for translation (XLIFF)"),
            reverse("translations_export", args=[page.pk]),
            icon_name="download",
            priority=80,
        )
        yield Button(
            _("Import a translation (XLIFF)"),
            reverse("translations_import", args=[page.pk]),
            icon_name="upload",
            priority=81,
        )


hooks.register("before_serve_page", public.fall_back_to_source_language)


def _can_review(page, user) -> bool:
    """A moderator whose review the page awaits (they see French and English side by side)."""
    task = page.current_workflow_task
    return task is not None and any(name == "approve" for name, *_rest in task.get_actions(page, user))


@hooks.register("register_snippet_listing_buttons")
def snippet_workspace_button(snippet, user, next_url=None):
    from translations.status import is_tracked

    if is_tracked(type(snippet)) and bundles.can_edit(user, snippet):
        yield Button(
            _("Translate side by side"), workspace_views.workspace_url(snippet), icon_name="globe", priority=50
        )
