from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TranslationsConfig(AppConfig):
    name = "translations"
    verbose_name = _("Translations")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_migrate

        from translations import forms, roles, signals

        signals.connect()
        post_migrate.connect(roles.sync_roles_after_migrate, dispatch_uid="translations_sync_roles")
        forms.guard_source_language_fields()
