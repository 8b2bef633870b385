"""The campaign home page and site-wide pieces."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from modeltranslation.utils import get_language
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField
from wagtail.models import Page, PageViewRestriction
from wagtail.url_routing import RouteResult

from home.campaign_blocks import HomeStreamBlock, StandardStreamBlock
from ops.cache import any_page_view_restriction


class PublicPageMixin:
    """What every page type of the public site shares."""

    def get_view_restrictions(self):
        # Wagtail runs two queries per page view to look for restrictions on the page and its
        # ancestors; while no page of the site is private, there is nothing to find.
        if not any_page_view_restriction():
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()


class BilingualPreviewMixin(PublicPageMixin):
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


def translated_slug_filter(slug: str) -> Q:
    """Match a URL segment against the active language's slug, or the French slug where that one
    is empty (an untranslated page keeps its French address)."""
    language, default = get_language(), settings.MODELTRANSLATION_DEFAULT_LANGUAGE
    match = Q(**{f"slug_{language}": slug})
    if language != default:
        untranslated = Q(**{f"slug_{language}": ""}) | Q(**{f"slug_{language}__isnull": True})
        match |= untranslated & Q(**{f"slug_{default}": slug})
    return match


class SlugRouteMixin:
    """Route to a child page by its translated slug, in two small queries per URL segment.

    Put RoutablePageMixin before it in the bases: the page's own routes are tried first, then its
    children. The ancestors are kept on the page for the breadcrumbs.
    """

    def route(self, request, path_components):
        if not path_components:
            if self.live:
                return RouteResult(self)
            raise Http404
        child = self.get_children().filter(translated_slug_filter(path_components[0])).specific().first()
        if child is None:
            raise Http404
        child._cached_parent_obj = self  # as Wagtail's Page.route: get_parent() needs no query
        child.route_ancestors = [*getattr(self, "route_ancestors", []), self]
        return child.route(request, path_components[1:])


class HomePage(SlugRouteMixin, BilingualPreviewMixin, Page):
    """The home page of the campaign « Ordre de protéger », root of the public site."""

    intro = models.TextField(
        _("introduction"), blank=True, help_text=_("The campaign's mission in one sentence, under the title.")
    )
    body = StreamField(
        HomeStreamBlock(block_counts={"question_box": {"max_num": 1}}),
        blank=True,
        verbose_name=_("body"),
        help_text=_("A question box placed first is shown in the banner, under the introduction."),
    )

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]

    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # The question box leads: when it comes first it joins the title and mission in the banner.
        blocks = list(self.body or [])
        lead = 1 if blocks and blocks[0].block_type == "question_box" else 0
        context["banner_blocks"], context["body_blocks"] = blocks[:lead], blocks[lead:]
        return context


class StandardPage(SlugRouteMixin, BilingualPreviewMixin, Page):
    """A plain content page (accessibility statement, terms…): an introduction and a body."""

    intro = models.TextField(_("introduction"), blank=True)
    body = StreamField(StandardStreamBlock(), blank=True, verbose_name=_("body"))

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]

    parent_page_types = ["home.HomePage", "home.StandardPage"]
    subpage_types = ["home.StandardPage"]

    class Meta:
        verbose_name = _("standard page")


@register_setting(icon="site")
class SocialMediaSettings(BaseSiteSetting):
    """The « Suivez la campagne » links of the site's footer; each appears only when its URL is set."""

    linkedin_url = models.URLField(_("LinkedIn page"), blank=True)
    twitter_url = models.URLField(_("X (Twitter) account"), blank=True)
    facebook_url = models.URLField(_("Facebook page"), blank=True)

    class Meta:
        verbose_name = _("social media accounts")

    def accounts(self) -> list[dict[str, str]]:
        """The accounts that are set, in display order."""
        candidates = [
            ("LinkedIn", self.linkedin_url),
            ("X (Twitter)", self.twitter_url),
            ("Facebook", self.facebook_url),
        ]
        return [{"name": name, "url": url} for name, url in candidates if url]
