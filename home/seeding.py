"""Demo-content helpers shared by the seed commands: create-or-update by stable key."""

import dataclasses

from django.conf import settings
from django.utils import translation

from wagtail.models import Locale, Page, Site

from home.content.accessibility import ACCESSIBILITY_STATEMENT
from home.models import HomePage, StandardPage

# Content pages under the home page, linked from the footer; each dict is one page.
STANDARD_PAGES = [ACCESSIBILITY_STATEMENT]

# The home page's title and slugs; its introduction and body come from home/data/home.json (load_home).
HOME_CONTENT = {
    "title": {"fr": "Ordre de protéger", "en": "Ordre de protéger"},
    "slug": {"fr": "accueil", "en": "home"},
}


@dataclasses.dataclass
class LoadReport:
    """What a create-or-update-by-key loader did (directory, explainers)."""

    created: list[str] = dataclasses.field(default_factory=list)
    updated: list[str] = dataclasses.field(default_factory=list)
    unchanged: list[str] = dataclasses.field(default_factory=list)

    def __str__(self) -> str:
        return f"{len(self.created)} created, {len(self.updated)} updated, {len(self.unchanged)} unchanged"


def set_translated(obj, values: dict[str, dict[str, str]]) -> bool:
    """Set each field's per-language columns (title_fr, title_en…); return True if any changed."""
    changed = False
    for field, per_language in values.items():
        for language, value in per_language.items():
            attribute = f"{field}_{language}"
            if getattr(obj, attribute) != value:
                setattr(obj, attribute, value)
                changed = True
    return changed


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


def publish(page: Page) -> None:
    """Save a revision of the page and publish it."""
    page.save_revision().publish()


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
        set_translated(home, HOME_CONTENT)
        root.add_child(instance=home)
        publish(home)
    elif set_translated(home, HOME_CONTENT):
        publish(home)
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


def stream_spec(stream) -> list[tuple[str, str]]:
    """A StreamField value as (block type, raw value) pairs, to compare with seed content."""
    return [(child.block_type, child.block.get_prep_value(child.value)) for child in stream or []]


def ensure_standard_pages(home: HomePage) -> list[StandardPage]:
    """Create or update the content pages of STANDARD_PAGES (accessibility statement…) under home."""
    with translation.override(settings.LANGUAGE_CODE):
        return [_ensure_standard_page(home, content) for content in STANDARD_PAGES]


def _ensure_standard_page(home: HomePage, content: dict) -> StandardPage:
    page = StandardPage.objects.child_of(home).filter(slug_fr=content["slug"]["fr"]).first()
    is_new = page is None
    if is_new:
        page = StandardPage(show_in_menus=False)
    changed = set_translated(page, {key: value for key, value in content.items() if key != "body"})
    for language, blocks in content["body"].items():
        if stream_spec(getattr(page, f"body_{language}")) != blocks:
            setattr(page, f"body_{language}", blocks)
            changed = True
    if is_new:
        home.add_child(instance=page)
    if is_new or changed:
        publish(page)
    return page
