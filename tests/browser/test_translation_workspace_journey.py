import re

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.quality import assert_no_axe_violations
from tests.browser.test_translation_journey import PASSWORD, log_in

pytestmark = pytest.mark.browser

GLOSS_FR_BEFORE = "L’ordre des testeurs de logiciels"
GLOSS_FR_AFTER = "L’ordre des testeurs de jeux vidéo"
GLOSS_EN_BEFORE = "The order of software testers"
GLOSS_EN_AFTER = "The order of video game testers"
SHARED_FR = "Les testeurs veillent sur le public, partout au Québec."
SHARED_EN = "Testers watch over the public, everywhere in Québec."


@pytest.fixture
def browser_context_args(browser_context_args):
    # An English browser: the admin speaks French to staff all the same.
    return {**browser_context_args, "locale": "en-CA"}


@pytest.fixture
def workspace_site_url(site_url, django_user_model, settings):
    """An order whose French changed since its English was written, and another order translated
    with the French sentence the first one now uses (the translation memory's source)."""
    from django.contrib.auth.models import Group
    from django.utils import translation

    from tests.factories import add_order, build_directory, publish, translate
    from translations.roles import MODERATORS, TRANSLATORS, ensure_roles

    settings.PAGE_CACHE_SECONDS = 600
    _home, index, order = build_directory()
    ensure_roles()
    with translation.override("fr"):
        add_order(
            index,
            title_fr="Ordre des essayeurs",
            title_en="Order of triallers",
            slug_fr="ordre-des-essayeurs",
            slug_en="order-of-triallers",
            key="essayeurs",
            summary_fr=SHARED_FR,
            summary_en=SHARED_EN,
        )
    order = translate(
        order,
        gloss_fr=GLOSS_FR_BEFORE,
        gloss_en=GLOSS_EN_BEFORE,
        description_fr="<p>Les testeurs vérifient les <b>logiciels</b>.</p>",
        description_en="<p>Testers check <b>software</b>.</p>",
    )
    order.gloss_fr = GLOSS_FR_AFTER
    order.summary_fr = SHARED_FR
    publish(order)
    for username, group in (("traductrice", TRANSLATORS), ("moderatrice", MODERATORS)):
        user = django_user_model.objects.create_user(username, f"{username}@example.org", PASSWORD)
        user.groups.add(Group.objects.get(name=group))
    return site_url, order


def row(page: Page, unit: str):
    return page.locator(f'.tw-row[data-unit="{unit}"]')


def test_translator_works_side_by_side_and_a_moderator_publishes(workspace_site_url, page: Page, browser: Browser):
    site_url, order = workspace_site_url
    english_url = site_url + "/en/orders/order-of-testers/"

    # The translator opens the stale page from the report, in French although her browser is English.
    log_in(page, site_url, "traductrice")
    page.goto(site_url + "/admin/translations/?status=stale")
    report_row = page.locator("tr", has_text="Ordre des testeurs")
    expect(report_row.locator(".w-status")).to_have_text("À mettre à jour")
    report_row.get_by_role("link", name="Traduire Ordre des testeurs").click()
    expect(page).to_have_url(re.compile(r"/admin/translations/workspace/wagtailcore/page/\d+/"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Traduire côte à côte")

    # French beside English, with what changed in French on the stale row.
    gloss = row(page, "gloss")
    expect(gloss.locator(".tw-french")).to_have_text(GLOSS_FR_AFTER)
    expect(gloss.locator(".tw-status")).to_have_text("français modifié")
    expect(gloss.locator(".translation-diff del")).to_have_text("logiciels")
    expect(gloss.locator(".translation-diff ins")).to_have_text("jeux vidéo")
    expect(gloss.get_by_label(re.compile("Anglais"))).to_have_value(GLOSS_EN_BEFORE)
    expect(row(page, "title").locator(".tw-status")).to_have_text("À jour")
    # Rich text: the French rendered, the English in Wagtail's rich text editor.
    expect(row(page, "description").locator(".tw-french b")).to_have_text("logiciels")
    expect(row(page, "description").locator(".Draftail-Editor")).to_contain_text("Testers check software.")
    assert_no_axe_violations(page)

    # The summary's French was translated elsewhere on the site: one click uses that English.
    summary = row(page, "summary")
    suggestion = summary.locator(".tw-suggestion")
    expect(suggestion).to_contain_text(SHARED_EN)
    expect(suggestion).to_contain_text("Ordre des essayeurs")
    expect(suggestion).to_contain_text("Même français")
    suggestion.get_by_role("button", name=re.compile("Utiliser cette traduction")).click()
    expect(summary.get_by_role("status")).to_contain_text("Enregistrez pour la garder")  # in place, no reload
    expect(row(page, "summary").get_by_label(re.compile("Anglais"))).to_have_value(SHARED_EN)

    # Writes the gloss with the keyboard only, then submits to moderation.
    gloss_input = row(page, "gloss").get_by_label(re.compile("Anglais"))
    gloss_input.focus()
    page.keyboard.press("Control+A")
    page.keyboard.type(GLOSS_EN_AFTER)
    submit = page.get_by_role("button", name="Soumettre à Modération").first
    submit.focus()
    page.keyboard.press("Enter")
    expect(page.locator(".messages")).to_contain_text("soumise pour modération", timeout=10000)
    expect(page.get_by_text("Cette page attend la modération")).to_be_visible()

    # The moderator finds it awaiting review, opens it side by side from the page header, publishes.
    page.get_by_role("button", name="traductrice").click()
    page.get_by_role("button", name="Se déconnecter").click()
    log_in(page, site_url, "moderatrice")
    page.get_by_role("region", name="En attente de votre vérification").get_by_role(
        "link", name="Ordre des testeurs"
    ).click()
    expect(page).to_have_url(re.compile(rf"/admin/pages/{order.pk}/edit/$"))
    page.get_by_role("button", name="Actions", exact=True).first.click()
    page.get_by_role("link", name="Traduire côte à côte").click()
    expect(row(page, "gloss").locator(".tw-french")).to_have_text(GLOSS_FR_AFTER)
    expect(row(page, "gloss").get_by_label(re.compile("Anglais"))).to_have_value(GLOSS_EN_AFTER)
    expect(row(page, "summary").get_by_label(re.compile("Anglais"))).to_have_value(SHARED_EN)
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Approuver et publier").first.click()
    expect(page.locator(".messages")).to_contain_text("approuvée", timeout=10000)

    # Visitors read the new English; the report says up to date.
    visitor = browser.new_context(locale="en-CA").new_page()
    visitor.goto(english_url)
    expect(visitor.locator(".lead")).to_have_text(GLOSS_EN_AFTER)
    assert "Testers watch over the public, everywhere in" in visitor.content()  # its structured data
    visitor.context.close()
    page.goto(site_url + "/admin/translations/?status=up_to_date")
    expect(page.locator("tr", has_text="Ordre des testeurs").locator(".w-status")).to_have_text("À jour")
