"""The campaign home page and site-wide pieces."""

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page

from home.blocks import BaseStreamBlock


class BilingualPreviewMixin:
    """Offer a preview in each language: Wagtail otherwise previews in the admin's language."""

    default_preview_mode = settings.LANGUAGE_CODE

    @property
    def preview_modes(self) -> list[tuple[str, str]]:
        return list(settings.LANGUAGES)

    def serve_preview(self, request, mode_name):
        language = mode_name if mode_name in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        with translation.override(language):
            request.LANGUAGE_CODE = language
            response = super().serve_preview(request, mode_name)
            # serve() returns a lazy TemplateResponse: render it while the language is active.
            if hasattr(response, "render"):
                response.render()
        return response


class HomePage(BilingualPreviewMixin, Page):
    """The home page of the campaign « Ordre de protéger », root of the public site."""

    intro = models.TextField(_("introduction"), blank=True)
    body = StreamField(BaseStreamBlock(), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]

    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    class Meta:
        verbose_name = _("home page")
