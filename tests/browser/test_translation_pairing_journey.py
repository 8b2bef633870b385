"""Issue #23, item 1, in a real browser: a French paragraph inserted near the top of a fully translated
explainer leaves every English text in place; one row to translate; the status says so until it is
filled; after approve-and-publish the English page has the same sections as the French."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from django.conf import settings

from tests.browser.test_translation_journey import PASSWORD, log_in

pytestmark = [
    pytest.mark.browser,
    # Wagtail's editor autosaves the draft while the editor publishes: two writing requests at once,
    # which the live server's SQLite database refuses ("database table is locked").
    pytest.mark.skipif(
        not settings.DATABASE_IS_POSTGRES, reason="needs PostgreSQL: the editor's autosave and publish write at once"
    ),
]

SHOTS = Path(__file__).resolve().parents[2] / "test-results"
NEW_FR = "Avant de contester, relisez la facture ligne par ligne."
NEW_EN = "Before disputing it, read the bill line by line."


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "fr-CA", "viewport": {"width": 1280, "height": 900}}


@pytest.fixture
def explainer_site_url(site_url, django_user_model):
    """Every explainer loaded from the data files (fully translated), an editor who may publish,
    a translator and a moderator."""
    from django.contrib.auth.models import Group

    from protection.models import ExplainerPage
    from tests.factories import load_site
    from translations.roles import EDITORS, MODERATORS, TRANSLATORS, ensure_roles

    load_site()
    ensure_roles()
    for username, groups in (
        ("editrice", (EDITORS, MODERATORS)),
        ("traductrice", (TRANSLATORS,)),
        ("moderatrice", (MODERATORS,)),
    ):
        user = django_user_model.objects.create_user(username, f"{username}@example.org", PASSWORD)
        user.groups.add(*Group.objects.filter(name__in=groups))
    return site_url, ExplainerPage.objects.get(key="fee-disputes")


def words(texts: dict[str, str]) -> dict[str, str]:
    """Each text's words (the editor rewrites rich text markup, <b> as <strong>, never the words)."""
    from django.utils.html import strip_tags

    return {unit: " ".join(strip_tags(text).split()) for unit, text in texts.items()}


def sections(page: Page, url: str) -> list[str]:
    page.goto(url)
    return page.locator("main h2").all_inner_texts()


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"pairing-{name}.png"), full_page=True)


def log_out(page: Page, username: str) -> None:
    page.get_by_role("button", name=username).click()
    page.get_by_role("button", name="Se déconnecter").click()


def test_a_french_insert_leaves_the_english_in_place_until_published(explainer_site_url, page: Page, browser: Browser):
    from protection.models import ExplainerPage
    from translations.models import TranslationRecord
    from translations.pairs import object_texts

    site_url, explainer = explainer_site_url
    french_url = site_url + "/fr/proteger-le-public/" + explainer.slug_fr + "/"
    visitor = browser.new_context(locale="en-CA").new_page()
    french_sections = sections(visitor, french_url)
    english_url = site_url + "/en/protecting-the-public/" + explainer.slug_en + "/"
    english_sections = sections(visitor, english_url)
    assert len(english_sections) == len(french_sections) > 1
    english_before = object_texts(explainer, "en")

    # The editor inserts a French paragraph as the second block, in Wagtail's editor, and publishes.
    log_in(page, site_url, "editrice")
    page.goto(f"{site_url}/admin/pages/{explainer.pk}/edit/")
    body_fr = page.locator("[data-contentpath='body_fr']")
    body_fr.locator("button[title='Insérer un bloc']").nth(1).click()
    page.get_by_role("option", name=re.compile("^Paragraph", re.I)).first.click()
    editor = body_fr.locator(".Draftail-Editor [contenteditable='true']").nth(1)
    editor.click()
    page.keyboard.type(NEW_FR)
    # Draftail writes its hidden input a moment after typing.
    page.wait_for_function(
        """() => Array.from(document.querySelectorAll("input[name^='body_fr-'][type='hidden']"))
            .some((input) => input.value.includes("relisez la facture"))"""
    )
    shot(page, "1-editor-inserts-french")
    page.locator("footer").get_by_role("button").nth(1).click()  # the menu beside "Enregistrer le brouillon"
    page.locator("footer").get_by_role("button", name="Publier").click()
    expect(page.locator(".messages")).to_contain_text("publiée", timeout=15000)
    log_out(page, "editrice")

    latest = ExplainerPage.objects.get(pk=explainer.pk).get_latest_revision_as_object()
    assert words(object_texts(latest, "en")) == words(english_before)  # every English text still there
    record = TranslationRecord.objects.get(object_id=str(explainer.pk), language="en")
    assert record.status == "missing"

    # The translator sees exactly one row to translate, and the status says so.
    log_in(page, site_url, "traductrice")
    page.goto(site_url + "/admin/translations/?status=missing")
    report_row = page.locator("tr", has_text=explainer.title_fr)
    expect(report_row.locator(".w-status")).not_to_have_text("À jour")
    page.goto(f"{site_url}/admin/translations/workspace/wagtailcore/page/{explainer.pk}/")
    to_translate = page.locator(".tw-row").filter(has=page.locator(".tw-status", has_text="à traduire"))
    expect(to_translate).to_have_count(1)
    expect(to_translate.locator(".tw-french")).to_contain_text(NEW_FR)
    expect(page.locator(".tw-row").filter(has=page.locator(".tw-status", has_text="À jour"))).to_have_count(
        len([unit for unit in english_before if unit != "slug"])
    )
    to_translate.scroll_into_view_if_needed()
    shot(page, "2-workspace-one-row")
    to_translate.locator(".Draftail-Editor [contenteditable='true']").click()
    page.keyboard.type(NEW_EN)
    # Draftail writes its hidden input a moment after typing.
    expect(to_translate.locator("input[type='hidden']").first).to_have_value(re.compile("line by line"))
    page.get_by_role("button", name="Soumettre à Modération").first.click()
    expect(page.locator(".messages")).to_contain_text("soumise pour modération", timeout=15000)
    log_out(page, "traductrice")

    # The moderator approves and publishes from the workspace.
    log_in(page, site_url, "moderatrice")
    page.goto(f"{site_url}/admin/translations/workspace/wagtailcore/page/{explainer.pk}/")
    page.get_by_role("button", name="Approuver et publier").first.click()
    expect(page.locator(".messages")).to_contain_text("approuvée", timeout=15000)
    record.refresh_from_db()
    live = ExplainerPage.objects.get(pk=explainer.pk)
    untranslated = set(object_texts(live, "fr")) - set(object_texts(live, "en"))
    assert record.status == "up_to_date", untranslated

    # The public English page has the same sections as the French, and the new paragraph.
    assert sections(visitor, english_url) == english_sections
    expect(visitor.locator("main")).to_contain_text(NEW_EN)
    shot(visitor, "3-public-english")
    assert len(sections(visitor, french_url)) == len(english_sections)
    visitor.context.close()
