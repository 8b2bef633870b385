"""Translators edit the translation only: the French of pages and snippets is not theirs to change."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.models import Page

from translations.editor_guard import EnglishKeptMixin
from translations.roles import is_translator_only
from translations.status import column, tracked_models, translated_fields

SOURCE_LOCKED_MESSAGE = _("Translators can change the English only. Ask an editor to change the French (%(fields)s).")


class SourceLanguageGuardMixin:
    """Reject changes to the source-language (French) columns when a translator submits the form."""

    def clean(self):
        cleaned_data = super().clean()
        user = getattr(self, "for_user", None)
        if user is None or not is_translator_only(user):
            return cleaned_data
        source = settings.MODELTRANSLATION_DEFAULT_LANGUAGE
        names = [column(name, source) for name in [*translated_fields(self._meta.model), "slug"]]
        changed = [name for name in names if name in self.fields and name in self.changed_data]
        if changed:
            labels = ", ".join(str(self.fields[name].label or name) for name in changed)
            for name in changed:
                self.add_error(name, SOURCE_LOCKED_MESSAGE % {"fields": labels})
        return cleaned_data


def guard_source_language_fields() -> None:
    """Give every translatable page type and snippet a form that applies SourceLanguageGuardMixin."""
    for model in tracked_models():
        base = model.__dict__.get("base_form_class") or getattr(model, "base_form_class", WagtailAdminModelForm)
        if issubclass(base, SourceLanguageGuardMixin):
            continue
        mixins = (SourceLanguageGuardMixin, EnglishKeptMixin)
        model.base_form_class = type(f"SourceGuarded{base.__name__}", (*mixins, base), {})
        if issubclass(model, Page):
            model.get_edit_handler.cache_clear()
