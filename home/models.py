"""The campaign home page and site-wide pieces."""

from collections.abc import Callable

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connections, models, router
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext_lazy as _

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


def find_child_by_slug(parent: Page, slug: str) -> tuple[int, int] | None:
    """(pk, content type id) of parent's child with this slug in the active language (French where
    the English slug is empty), in one small query."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    default = settings.MODELTRANSLATION_DEFAULT_LANGUAGE
    connection = connections[router.db_for_read(Page)]
    quote = connection.ops.quote_name
    slug_column, default_column = quote(f"slug_{language}"), quote(f"slug_{default}")
    match = f"{slug_column} = %s"
    # The range lets PostgreSQL use the index on path, which LIKE cannot under a non-C collation.
    first, last = (parent.path + Page.alphabet[i] * Page.steplen for i in (0, -1))
    params = [first, last, parent.path + "%", parent.depth + 1, slug]
    if language != default:
        match += f" OR (COALESCE({slug_column}, '') = '' AND {default_column} = %s)"
        params.append(slug)
    # Only quoted column names from the settings are formatted in; the slug is a parameter.
    table = quote(Page._meta.db_table)
    where = f"path BETWEEN %s AND %s AND path LIKE %s AND depth = %s AND ({match})"
    sql = f"SELECT id, content_type_id FROM {table} WHERE {where} LIMIT 1"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


_PAGE_BY_PK_SQL: dict[type, str] = {}


def specific_page_by_pk(model: type[Page], pk: int) -> Page | None:
    """The page of this type with this pk. Django compiles the SQL of a Page query anew each time
    (about a millisecond with the translation columns): here it is compiled once per type."""
    sql = _PAGE_BY_PK_SQL.get(model)
    if sql is None:
        sql, params = model._default_manager.filter(pk=0).query.sql_with_params()
        if list(params) != [0]:  # not a plain `pk = %s` query: let the ORM do it each time
            return model._default_manager.filter(pk=pk).first()
        _PAGE_BY_PK_SQL[model] = sql
    return next(iter(model._default_manager.raw(sql, [pk])), None)


class SlugRouteMixin:
    """Route to a child by its translated slug, in two light queries.

    wagtail-modeltranslation's route loads every child to compare slugs in Python; this looks the
    slug up in the database instead (its id and type), then loads that page, and remembers the
    ancestors for breadcrumbs.
    """

    def route(self, request, path_components):
        if not path_components:
            if self.live:
                return RouteResult(self)
            raise Http404
        found = find_child_by_slug(self, path_components[0])
        model = ContentType.objects.get_for_id(found[1]).model_class() if found else None
        child = specific_page_by_pk(model, found[0]) if model else None
        if child is None:
            raise Http404
        child._cached_parent_obj = self
        child.route_ancestors = [*getattr(self, "route_ancestors", []), self]
        return child.route(request, path_components[1:])


# wagtail-modeltranslation assigns its own `route` to every translated page model when it starts:
# page types using SlugRouteMixin get theirs back through this registry (see HomeConfig.ready).
SLUG_ROUTED_MODELS: dict[type, Callable] = {}


def slug_routed(model: type) -> type:
    """Class decorator: register a page type whose SlugRouteMixin.route must survive patching.

    The route kept is the one the class's bases give it, so RoutablePageMixin placed before
    SlugRouteMixin tries the page's own routes first, then the children by slug.
    """
    SLUG_ROUTED_MODELS[model] = model.route
    return model


@slug_routed
class HomePage(SlugRouteMixin, BilingualPreviewMixin, Page):
    """The home page of the campaign « Ordre de protéger », root of the public site."""

    intro = models.TextField(
        _("introduction"), blank=True, help_text=_("The campaign's mission in one sentence, under the title.")
    )
    body = StreamField(
        HomeStreamBlock(block_counts={"question_box": {"max_num": 1}}),
        blank=True,
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


@slug_routed
class StandardPage(SlugRouteMixin, BilingualPreviewMixin, Page):
    """A plain content page (accessibility statement, terms…): an introduction and a body."""

    intro = models.TextField(_("introduction"), blank=True)
    body = StreamField(StandardStreamBlock(), blank=True)

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
