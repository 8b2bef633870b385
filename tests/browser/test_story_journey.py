"""A visitor tells their whole story in the guide's box, without JavaScript, and gets each door."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.search.test_stories import LONG_STORY

pytestmark = pytest.mark.browser


@pytest.fixture
def browser_context_args(browser_context_args):
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


def test_a_whole_story_in_the_guide_reaches_every_door_it_tells(site_url, campaign_site, page: Page):
    page.goto(site_url + "/fr/qui-contacter/")
    expect(page.get_by_text("jusqu'à 1 000 caractères")).to_be_visible()
    box = page.get_by_label("Décrivez votre situation")
    box.fill(LONG_STORY)
    expect(box).to_have_value(LONG_STORY)  # the whole story fits in the box: nothing is cut
    page.get_by_role("button", name="Trouver la réponse").click()
    expect(page).to_have_url(re.compile(r"\?step=r_indemnity&profession=notaire&also=r_fees$"))
    main = page.get_by_role("main")
    expect(main.get_by_role("link", name="Chambre des notaires du Québec")).to_be_visible()
    main.get_by_role("link", name="Contester une facture").click()
    expect(page).to_have_url(re.compile(r"\?step=r_fees&profession=notaire$"))
    expect(page.get_by_role("heading", level=2, name="Demandez la conciliation des comptes")).to_be_visible()


def test_a_story_longer_than_the_box_is_not_cut(site_url, campaign_site, page: Page):
    page.goto(site_url + "/fr/qui-contacter/")
    box = page.get_by_label("Décrivez votre situation")
    box.fill(LONG_STORY + " " + LONG_STORY)
    # The browser keeps to the box's limit, which the page states; the server refuses anything longer.
    assert len(box.input_value()) == 1000
    page.goto(site_url + "/fr/recherche/?q=" + "plainte%20" * 150)
    expect(page.get_by_role("alert")).to_contain_text("la boîte en accepte jusqu'à 1000")
