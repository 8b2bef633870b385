"""The campaign home page and site-wide pieces."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page, PageViewRestriction
from wagtail.url_routing import RouteResult

from home.blocks import BaseStreamBlock
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


def translated_slug_q(slug: str) -> Q:
    """Match a URL slug in the active language, falling back to French where English is empty."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    default = settings.MODELTRANSLATION_DEFAULT_LANGUAGE
    query = Q(**{f"slug_{language}": slug})
    if language != default:
        untranslated = Q(**{f"slug_{language}": ""}) | Q(**{f"slug_{language}__isnull": True})
        query |= untranslated & Q(**{f"slug_{default}": slug})
    return query


class SlugRouteMixin:
    """Route to a child with one query on its translated slug.

    wagtail-modeltranslation's route loads every child to compare slugs in Python; this looks the
    slug up in the database instead, and remembers the ancestors for breadcrumbs. `child_page_model`
    names the child type when all children share it (one query instead of two).
    """

    child_page_model = None

    def route(self, request, path_components):
        if not path_components:
            if self.live:
                return RouteResult(self)
            raise Http404
        if self.child_page_model is not None:
            child = self.child_page_model.objects.child_of(self).filter(translated_slug_q(path_components[0])).first()
        else:
            # Two light steps instead of a full Page row plus .specific: find the type, then fetch it.
            found = (
                Page.objects.child_of(self)
                .filter(translated_slug_q(path_components[0]))
                .values_list("pk", "content_type_id")
                .first()
            )
            model = ContentType.objects.get_for_id(found[1]).model_class() if found else None
            child = model.objects.filter(pk=found[0]).first() if model else None
        if child is None:
            raise Http404
        child._cached_parent_obj = self
        child.route_ancestors = [*getattr(self, "route_ancestors", []), self]
        return child.route(request, path_components[1:])


# wagtail-modeltranslation assigns its own `route` to every translated page model when it starts:
# page types using SlugRouteMixin get theirs back through this list (see HomeConfig.ready).
SLUG_ROUTED_MODELS: list[type] = []


def slug_routed(model: type) -> type:
    """Class decorator: register a page type whose SlugRouteMixin.route must survive patching."""
    SLUG_ROUTED_MODELS.append(model)
    return model


@slug_routed
class HomePage(SlugRouteMixin, BilingualPreviewMixin, Page):
    """The home page of the campaign « Ordre de protéger », root of the public site."""

    intro = models.TextField(_("introduction"), blank=True)
    body = StreamField(BaseStreamBlock(), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]

    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # The sections of the menu as cards (directory, professions, and later the blog and guide).
        context["sections"] = [
            {"title": child.title, "text": child.search_description, "url": child.get_url(request=request)}
            for child in self.get_children().live().in_menu()
        ]
        return context


@slug_routed
class StandardPage(SlugRouteMixin, BilingualPreviewMixin, Page):
    """A plain content page (accessibility statement, terms…): an introduction and a body."""

    intro = models.TextField(_("introduction"), blank=True)
    body = StreamField(BaseStreamBlock(), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]

    parent_page_types = ["home.HomePage", "home.StandardPage"]
    subpage_types = ["home.StandardPage"]

    class Meta:
        verbose_name = _("standard page")
