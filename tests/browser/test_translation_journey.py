import re

import pytest
from playwright.sync_api import Browser, Page, expect

pytestmark = pytest.mark.browser

PASSWORD = "correct-horse-battery"


@pytest.fixture
def browser_context_args(browser_context_args):
    # A Québec translator's browser: the admin speaks French.
    return {**browser_context_args, "locale": "fr-CA"}


def log_in(page: Page, site_url: str, username: str) -> None:
    """Sign in to the admin and land on the dashboard."""
    page.goto(site_url + "/admin/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form button[type=submit]").click()
    expect(page.get_by_text("Traductions à faire")).to_be_visible()


@pytest.fixture
def untranslated_site_url(site_url, django_user_model):
    from django.contrib.auth.models import Group

    from tests.factories import build_directory
    from translations.roles import TRANSLATORS, ensure_roles

    _home, _index, order = build_directory()
    ensure_roles()
    translator = django_user_model.objects.create_user("traductrice", "t@example.org", PASSWORD)
    translator.groups.add(Group.objects.get(name=TRANSLATORS))
    return site_url, order


def test_translator_finds_a_missing_translation_and_writes_it(untranslated_site_url, page: Page):
    site_url, order = untranslated_site_url

    # A visitor reading in English gets the French, said so, and marked as French.
    page.goto(site_url + "/en/orders/ordre-des-testeurs/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("main")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("note")).to_contain_text("This page is not translated yet")
    expect(page.get_by_role("note")).to_contain_text("Cette page n’est pas encore traduite")
    expect(page.locator('link[hreflang="en"]')).to_have_count(0)

    # The translator finds it in the report, filtered by status.
    log_in(page, site_url, "traductrice")
    page.goto(site_url + "/admin/translations/?status=missing")
    row = page.locator("tr", has_text="Ordre des testeurs")
    expect(row).to_contain_text("Manquante")
    row.get_by_role("link", name="Ordre des testeurs", exact=True).click()
    expect(page).to_have_url(re.compile(rf"/admin/pages/{order.pk}/edit/$"))

    # Shows the English fields (wagtail-modeltranslation's locale picker), writes them, saves a draft.
    page.locator("button.locale-toggle", has_text="en").first.click()
    expect(page.locator("#id_title_en")).to_be_visible()
    page.locator("#id_title_en").fill("Order of testers")
    page.locator("#id_summary_en").fill("Testers protect the public.")
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    expect(page.locator(".messages")).to_contain_text("a été mise à jour", timeout=10000)

    page.goto(site_url + "/admin/translations/?status=up_to_date")
    expect(page.locator("tr", has_text="Ordre des testeurs")).to_contain_text("À jour")


GLOSS_FR_BEFORE = "L’ordre des testeurs de logiciels"
GLOSS_FR_AFTER = "L’ordre des testeurs de jeux vidéo"
GLOSS_EN_BEFORE = "The order of software testers"
GLOSS_EN_AFTER = "The order of video game testers"
# The French of a word diff: its text without the insertions (before) or the deletions (after).
DIFF_TEXT_WITHOUT = "(p, tag) => [...p.childNodes].filter(n => n.nodeName !== tag).map(n => n.textContent).join('')"


@pytest.fixture
def stale_site_url(site_url, django_user_model, settings):
    """An order page translated, then its French gloss changed and published; a translator and a moderator."""
    from django.contrib.auth.models import Group

    from tests.factories import build_directory, publish, translate
    from translations.roles import MODERATORS, TRANSLATORS, ensure_roles

    settings.PAGE_CACHE_SECONDS = 600  # visitors get cached pages, as in production
    _home, _index, order = build_directory()
    ensure_roles()  # once the tree exists, as the data migration does: the workflow covers every page
    order = translate(order, gloss_fr=GLOSS_FR_BEFORE, gloss_en=GLOSS_EN_BEFORE)
    order.gloss_fr = GLOSS_FR_AFTER
    publish(order)
    for username, group in (("traductrice", TRANSLATORS), ("moderatrice", MODERATORS)):
        user = django_user_model.objects.create_user(username, f"{username}@example.org", PASSWORD)
        user.groups.add(Group.objects.get(name=group))
    return site_url, order


def test_translator_updates_a_stale_translation_and_a_moderator_publishes_it(
    stale_site_url, page: Page, browser: Browser
):
    from translations.roles import WORKFLOW_NAME

    site_url, order = stale_site_url
    english_url = site_url + "/en/orders/order-of-testers/"
    visitor = browser.new_context(locale="en-CA").new_page()
    visitor.goto(english_url)
    assert visitor.reload().headers["x-page-cache"] == "hit"
    expect(visitor.locator(".lead")).to_have_text(GLOSS_EN_BEFORE)

    # The translator finds the page out of date in the report and sees what changed in French.
    log_in(page, site_url, "traductrice")
    page.goto(site_url + "/admin/translations/?status=stale")
    row = page.locator("tr", has_text="Ordre des testeurs")
    expect(row.locator(".w-status")).to_have_text("À mettre à jour")
    row.get_by_role("link", name="À traduire").click()
    expect(page.get_by_role("heading", name="Nom en langage clair — français modifié")).to_be_visible()
    diff = page.locator(".translation-diff")
    expect(diff.locator("del")).to_have_text("logiciels")
    expect(diff.locator("ins")).to_have_text("jeux vidéo")
    assert diff.evaluate(DIFF_TEXT_WITHOUT, "INS") == GLOSS_FR_BEFORE
    assert diff.evaluate(DIFF_TEXT_WITHOUT, "DEL") == GLOSS_FR_AFTER
    expect(page.get_by_text(GLOSS_EN_BEFORE)).to_be_visible()

    # Writes the new English and submits it to moderation: a translator has no "Publier".
    page.get_by_role("link", name="Modifier la traduction").click()
    expect(page).to_have_url(re.compile(rf"/admin/pages/{order.pk}/edit/$"))
    page.locator("button.locale-toggle", has_text="en").first.click()
    expect(page.locator("#id_gloss_en")).to_have_value(GLOSS_EN_BEFORE)
    page.locator("#id_gloss_en").fill(GLOSS_EN_AFTER)
    page.get_by_role("button", name="Plus d'actions").click()
    expect(page.get_by_role("button", name="Publier")).to_have_count(0)
    page.get_by_role("button", name=f"Soumettre à {WORKFLOW_NAME}").click()
    expect(page.locator(".messages")).to_contain_text(
        "La page « Ordre des testeurs » a été soumise pour modération.", timeout=10000
    )

    # The moderator finds it awaiting review, checks the English, approves and publishes it.
    page.get_by_role("button", name="traductrice").click()
    page.get_by_role("button", name="Se déconnecter").click()
    expect(page.locator("#id_username")).to_be_visible()
    log_in(page, site_url, "moderatrice")
    awaiting = page.get_by_role("region", name="En attente de votre vérification")
    awaiting.get_by_role("link", name="Ordre des testeurs").click()
    expect(page).to_have_url(re.compile(rf"/admin/pages/{order.pk}/edit/$"))
    page.locator("button.locale-toggle", has_text="en").first.click()
    expect(page.locator("#id_gloss_en")).to_have_value(GLOSS_EN_AFTER)
    page.get_by_role("button", name="Plus d'actions").click()
    page.get_by_role("button", name="Approuver et Publier").click()
    expect(page.locator(".messages")).to_contain_text(
        "La page « Ordre des testeurs » a été mise à jour.", timeout=10000
    )

    # Visitors get the new English at once (publishing refreshes the page cache); the report agrees.
    response = visitor.goto(english_url)
    assert response.status == 200
    expect(visitor.locator(".lead")).to_have_text(GLOSS_EN_AFTER)
    page.goto(site_url + "/admin/translations/?status=up_to_date")
    expect(page.locator("tr", has_text="Ordre des testeurs").locator(".w-status")).to_have_text("À jour")
    visitor.context.close()
