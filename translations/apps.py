from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TranslationsConfig(AppConfig):
    name = "translations"
    verbose_name = _("Translations")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_migrate

        from translations import forms, redirects, repair, roles, signals

        signals.connect()
        redirects.connect()
        post_migrate.connect(roles.sync_roles_after_migrate, dispatch_uid="translations_sync_roles")
        post_migrate.connect(repair.refresh_records_after_migrate, dispatch_uid="translations_refresh_records")
        forms.guard_source_language_fields()
        add_explorer_column()


def add_explorer_column() -> None:
    """A "Translation" column in the page explorer (Wagtail has no hook for listing columns)."""
    from wagtail.admin.views.pages.listing import ExplorableIndexView

    from translations.wagtail_hooks import TranslationColumn

    if any(column.name == "translation" for column in ExplorableIndexView.base_columns):
        return
    ExplorableIndexView.base_columns = [
        *ExplorableIndexView.base_columns,
        TranslationColumn("translation", label=_("Translation (EN)"), width="12%"),
    ]
