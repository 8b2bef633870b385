"""The site's frame for seed_site: the tree root, the home page and its default site, the content pages."""

from io import StringIO

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.utils import translation

from wagtail.models import Locale, Page, Site

from home.content.accessibility import ACCESSIBILITY_STATEMENT
from home.loaders import PAGE_LINK, LoadReport, link_pages, save_page
from home.models import HomePage, StandardPage

# Content pages under the home page, linked from the footer; each dict is one page.
STANDARD_PAGES = [ACCESSIBILITY_STATEMENT]

# The home page's title and slugs; its introduction and body come from home/data/home.json (load_home).
HOME_CONTENT = {
    "title": {"fr": "Ordre de protéger", "en": "Ordre de protéger"},
    "slug": {"fr": "accueil", "en": "home"},
}


def per_language(content: dict[str, dict[str, str]]) -> dict[str, str]:
    """`{"title": {"fr": …, "en": …}}` as model values: `{"title_fr": …, "title_en": …}`."""
    return {f"{field}_{language}": value for field, values in content.items() for language, value in values.items()}


def ensure_root() -> Page:
    """Return Wagtail's tree root, creating it (and the default Locale) on an empty database."""
    Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    root = Page.get_first_root_node()
    if root is None:
        # Plain `title=` writes the active language's column; a test may have left English active.
        with translation.override(settings.LANGUAGE_CODE):
            root = Page.add_root(instance=Page(title="Root", slug="root"))
    # Wagtail's migration creates the root before modeltranslation adds its columns:
    # fill them, or every child's per-language url_path would lack its leading "/".
    missing = {
        f"{field}_{language}": value
        for language, _name in settings.LANGUAGES
        for field, value in (("title", "Root"), ("slug", "root"), ("url_path", "/"))
        if getattr(root, f"{field}_{language}") in (None, "")
    }
    if missing:
        Page.objects.filter(pk=root.pk).update(**missing)
        root.refresh_from_db()
    return root


def ensure_home_page() -> HomePage:
    """Create or update the bilingual home page and make it the default site's root."""
    with translation.override(settings.LANGUAGE_CODE):
        return _ensure_home_page()


def _ensure_home_page() -> HomePage:
    root = ensure_root()
    home = HomePage.objects.first()
    if home is None:
        # Wagtail's first migration leaves a placeholder "Welcome" page on the "home" slug.
        for placeholder in root.get_children().filter(content_type__model="page"):
            if placeholder.numchild == 0:
                placeholder.delete()
        home = HomePage()
    # The code owns these values: seed_site rewrites them when they change here.
    save_page(root, home, per_language(HOME_CONTENT), report=LoadReport(), label="home", overwrite=True)
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname="localhost",
            port=80,
            root_page=home,
            is_default_site=True,
            site_name=settings.WAGTAIL_SITE_NAME,
        )
    elif site.root_page_id != home.pk or site.site_name != settings.WAGTAIL_SITE_NAME:
        site.root_page = home
        site.site_name = settings.WAGTAIL_SITE_NAME
        site.save()
    return home


def ensure_standard_pages(home: HomePage) -> list[StandardPage]:
    """Create or update the content pages of STANDARD_PAGES (accessibility statement…) under home."""
    with translation.override(settings.LANGUAGE_CODE):
        return [_ensure_standard_page(home, content) for content in STANDARD_PAGES]


def contact_page_keys(home: HomePage) -> dict[str, int]:
    """The contact page that content pages link to (`page:contact`), created by its app's loader if missing."""
    contact_page = apps.get_model("contact", "ContactPage")
    if not contact_page.objects.child_of(home).exists():
        call_command("load_contact", stdout=StringIO())
    return {"contact": contact_page.objects.child_of(home).values_list("pk", flat=True).get()}


def _ensure_standard_page(home: HomePage, content: dict) -> StandardPage:
    page = StandardPage.objects.child_of(home).filter(slug_fr=content["slug"]["fr"]).first()
    page = page or StandardPage(show_in_menus=False)
    values = per_language(content)  # the body's (block type, value) pairs included
    if any(PAGE_LINK.search(str(value)) for value in values.values()):
        pks = contact_page_keys(home)
        for name, value in values.items():
            if name.startswith("body_"):
                values[name] = [(kind, link_pages(text, pks)) for kind, text in value]
    return save_page(home, page, values, report=LoadReport(), label=content["slug"]["fr"], overwrite=True)
