import re
from pathlib import Path

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


def test_arrow_up_from_the_first_suggestion_goes_back_to_the_box_and_enter_then_searches(search_site_url, page: Page):
    page.goto(search_site_url + "/fr/ordres/")
    box = page.get_by_role("combobox", name="Rechercher")
    box.press_sequentially("infir", delay=30)
    listbox = page.get_by_role("listbox")
    expect(listbox).to_be_visible()
    count = listbox.get_by_role("option").count()
    assert count >= 2
    box.press("ArrowDown")
    expect(box).to_have_attribute("aria-activedescendant", re.compile(r"-0$"))
    box.press("ArrowUp")
    # Back in the box: no option is chosen, none wraps around to the last one.
    expect(box).not_to_have_attribute("aria-activedescendant", re.compile("."))
    expect(page.locator('[role="option"][aria-selected="true"]')).to_have_count(0)
    box.press("ArrowUp")
    expect(page.locator('[role="option"][aria-selected="true"]')).to_have_count(0)
    expect(box).to_be_focused()
    # ↓ walks down and stops at the last option.
    for _ in range(count + 2):
        box.press("ArrowDown")
    expect(box).to_have_attribute("aria-activedescendant", re.compile(rf"-{count - 1}$"))
    for _ in range(count):
        box.press("ArrowUp")
    expect(page.locator('[role="option"][aria-selected="true"]')).to_have_count(0)
    results = Path(__file__).resolve().parents[2] / "test-results"
    results.mkdir(exist_ok=True)
    page.screenshot(path=str(results / "suggestions-back-in-box.png"))
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/fr/recherche/\?q=infir$"))
