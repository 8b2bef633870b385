import re

import pytest
from playwright.sync_api import Browser, Page, expect

pytestmark = pytest.mark.browser


@pytest.fixture
def search_site_url(site_url):
    from tests.factories import load_sample_directory

    load_sample_directory()
    return site_url


def test_visitor_types_a_prefix_in_the_header_box_and_picks_a_suggestion(search_site_url, page: Page):
    page.goto(search_site_url + "/fr/ordres/")
    box = page.get_by_role("combobox", name="Rechercher")
    box.press_sequentially("infir", delay=30)
    listbox = page.get_by_role("listbox")
    expect(listbox).to_be_visible()
    expect(page.get_by_role("option").first).to_contain_text("Infirmière")
    expect(page.get_by_role("option").first).to_contain_text("Ordre des infirmières et infirmiers du Québec")
    box.press("ArrowDown")
    expect(box).to_have_attribute("aria-activedescendant", re.compile(r"-0$"))
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/fr/ordres/ordre-des-infirmieres-et-infirmiers-du-quebec/infirmiere/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Infirmière")

    page.goto(search_site_url + "/en/orders/")
    box = page.get_by_role("combobox", name="Search")
    box.press_sequentially("lawy", delay=30)
    page.get_by_role("option", name=re.compile("Lawyer")).click()
    expect(page).to_have_url(re.compile(r"/en/orders/quebec-bar/lawyer/$"))


def test_without_javascript_the_header_box_submits_to_the_search_page(search_site_url, browser: Browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(search_site_url + "/fr/ordres/")
    box = page.get_by_role("searchbox", name="Rechercher")
    box.fill("infirmieres")
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/fr/recherche/\?q=infirmieres$"))
    # The answer names the profession first; the results list it too, highlighted.
    expect(page.get_by_role("heading", level=2, name="Un problème avec un professionnel : Infirmière")).to_be_visible()
    results = page.locator("ol.search-results")
    expect(results.get_by_role("link", name="Infirmière", exact=True)).to_be_visible()
    expect(results.locator("mark").first).to_have_text("Infirmière")
    context.close()
