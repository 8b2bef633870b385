"""« Utiliser cette traduction » fills the row's input in place, and without JavaScript comes back at the row."""

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.test_translation_journey import PASSWORD, log_in

pytestmark = pytest.mark.browser

SUMMARY_FR = "Les testeurs veillent sur le public, partout au Québec."
SUMMARY_EN = "Testers watch over the public, everywhere in Québec."
DESCRIPTION_FR = "<p>Les essais protègent <b>le public</b>.</p>"
DESCRIPTION_EN = "<p>Trials protect <b>the public</b>.</p>"
TYPED = "The order of software testers, typed by hand"


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "fr-CA"}


@pytest.fixture
def suggestion_site(site_url, django_user_model):
    """An order with its summary and description to translate, both already translated on another order."""
    from django.contrib.auth.models import Group
    from django.utils import translation

    from professions.models import OrderPage
    from tests.factories import add_order, build_directory, publish
    from translations.roles import TRANSLATORS, ensure_roles

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
            summary_fr=SUMMARY_FR,
            summary_en=SUMMARY_EN,
            description_fr=DESCRIPTION_FR,
            description_en=DESCRIPTION_EN,
        )
    order = OrderPage.objects.get(pk=order.pk)
    order.summary_fr = SUMMARY_FR
    order.description_fr = DESCRIPTION_FR
    order.gloss_fr = "L’ordre des testeurs de logiciels"
    publish(order)
    user = django_user_model.objects.create_user("traductrice", "t@example.org", PASSWORD)
    user.groups.add(Group.objects.get(name=TRANSLATORS))
    return site_url, OrderPage.objects.get(pk=order.pk)


def row(page: Page, unit: str):
    return page.locator(f'.tw-row[data-unit="{unit}"]')


def use_button(page: Page, unit: str):
    return row(page, unit).get_by_role("button", name=re.compile("Utiliser cette traduction"))


def test_use_fills_the_input_in_place_rich_text_included(suggestion_site, page: Page):
    site_url, order = suggestion_site
    log_in(page, site_url, "traductrice")
    url = f"{site_url}/admin/translations/workspace/wagtailcore/page/{order.pk}/?language=en"
    page.goto(url)
    gloss = row(page, "gloss").get_by_label(re.compile("Anglais"))
    gloss.fill(TYPED)
    page.evaluate("window.notReloaded = true")

    use_button(page, "summary").click()
    expect(row(page, "summary").get_by_label(re.compile("Anglais"))).to_have_value(SUMMARY_EN)
    expect(row(page, "summary").get_by_role("status")).to_contain_text("Enregistrez pour la garder")
    use_button(page, "description").click()
    expect(row(page, "description").locator(".Draftail-Editor")).to_contain_text("Trials protect the public.")
    assert page.evaluate("window.notReloaded === true")  # no round trip: the page was not reloaded
    assert page.url == url
    expect(gloss).to_have_value(TYPED)

    page.get_by_role("button", name="Enregistrer le brouillon anglais").first.click()
    expect(page.locator(".messages")).to_contain_text("brouillon")
    draft = type(order).objects.get(pk=order.pk).get_latest_revision_as_object()
    assert draft.summary_en == SUMMARY_EN
    assert draft.gloss_en == TYPED
    assert re.sub(r' data-block-key="\w+"', "", draft.description_en) == DESCRIPTION_EN


def test_without_javascript_use_comes_back_at_the_row_with_what_was_typed(suggestion_site, browser: Browser):
    site_url, order = suggestion_site
    context = browser.new_context(java_script_enabled=False, locale="fr-CA", viewport={"width": 1280, "height": 600})
    page = context.new_page()
    log_in(page, site_url, "traductrice")
    page.goto(f"{site_url}/admin/translations/workspace/wagtailcore/page/{order.pk}/?language=en")
    row(page, "gloss").get_by_label(re.compile("Anglais")).fill(TYPED)

    use_button(page, "summary").click()
    expect(page.locator(".messages")).to_contain_text("Ordre des essayeurs")
    summary_input = row(page, "summary").get_by_label(re.compile("Anglais"))
    expect(summary_input).to_have_value(SUMMARY_EN)
    expect(row(page, "gloss").get_by_label(re.compile("Anglais"))).to_have_value(TYPED)
    input_name = summary_input.get_attribute("name")
    assert page.url.endswith(f"#row-{input_name}")
    expect(row(page, "summary")).to_be_in_viewport()
    # Nothing was saved: the translator saves when ready.
    assert not type(order).objects.get(pk=order.pk).get_latest_revision_as_object().summary_en
    context.close()
