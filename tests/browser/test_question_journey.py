"""A worried visitor types their situation in the guide, without JavaScript, and lands on the answer."""

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


@pytest.fixture
def browser_context_args(browser_context_args):
    # No JavaScript at all: the typed question is a plain GET form and the answer a plain page.
    return {**browser_context_args, "locale": "fr-CA", "java_script_enabled": False}


@pytest.fixture
def campaign_site(site_home):
    from professions.loading import load_directory_file
    from protection.bodies import load_other_bodies_file
    from protection.loading import load_explainers_files
    from search.indexing import rebuild_index

    load_directory_file()
    load_explainers_files()
    load_other_bodies_file()
    rebuild_index()


def test_a_typed_question_in_the_guide_reaches_the_answer_in_both_languages(site_url, campaign_site, page: Page):
    page.goto(site_url + "/fr/qui-contacter/")
    page.get_by_label("Décrivez votre situation").fill("mon notaire me facture trop")
    page.get_by_role("button", name="Trouver la réponse").click()
    expect(page).to_have_url(re.compile(r"/fr/qui-contacter/\?step=r_fees&profession=notaire$"))
    expect(page.get_by_role("heading", level=2, name="Demandez la conciliation des comptes")).to_be_visible()
    main = page.get_by_role("main")
    expect(main.get_by_role("link", name="Chambre des notaires du Québec")).to_be_visible()
    expect(main.get_by_role("link", name="Notaire", exact=True)).to_be_visible()

    # The answer has its own URL: switching language keeps it.
    page.get_by_role("link", name="English").click()
    expect(page).to_have_url(re.compile(r"/en/who-do-i-contact/\?step=r_fees&profession=notaire$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=2, name="Ask for conciliation of accounts")).to_be_visible()
    expect(page.get_by_role("main").get_by_role("link", name="Notary", exact=True)).to_be_visible()

    # In English, an occupation that no order governs: the answer names the body, and says so.
    page.goto(site_url + "/en/who-do-i-contact/")
    page.get_by_label("Describe your situation").fill("my real estate broker")
    page.get_by_role("button", name="Find the answer").click()
    expect(page).to_have_url(re.compile(r"/en/who-do-i-contact/\?body=oaciq$"))
    expect(page.get_by_role("heading", level=2, name="No professional order handles this")).to_be_visible()
    expect(page.get_by_role("heading", level=3, name=re.compile("OACIQ"))).to_be_visible()
    page.get_by_role("link", name="Français").click()
    expect(page).to_have_url(re.compile(r"/fr/qui-contacter/\?body=oaciq$"))
    expect(
        page.get_by_role("heading", level=2, name="Ce n'est pas un ordre professionnel qui s'en occupe")
    ).to_be_visible()


def test_the_profession_page_opens_the_guide_with_every_situation_one_click_away(site_url, campaign_site, page: Page):
    page.goto(site_url + "/fr/ordres/ordre-des-dentistes-du-quebec/dentiste/")
    page.get_by_role("link", name="Vos recours, étape par étape : Dentiste").click()
    expect(page).to_have_url(re.compile(r"/fr/qui-contacter/\?profession=dentiste$"))
    page.get_by_role("link", name="Contester une facture").click()
    expect(page).to_have_url(re.compile(r"/fr/qui-contacter/\?step=r_fees&profession=dentiste$"))
    expect(page.get_by_role("main").get_by_role("link", name="Ordre des dentistes du Québec")).to_be_visible()
