"""The header and menu: one line from 1024 px, a <details> menu on phones (no JavaScript needed)."""

import pytest
from playwright.sync_api import Page, expect

from tests.factories import seed_quality_pages

pytestmark = [pytest.mark.browser]


@pytest.fixture
def campaign_site_url(site_url):
    seed_quality_pages()
    return site_url


def menu_link_tops(page: Page) -> list[float]:
    return page.eval_on_selector_all(".main-nav__menu > ul a", "links => links.map(a => a.getBoundingClientRect().top)")


def test_menu_holds_on_one_line_on_wide_screens_and_folds_on_phones(campaign_site_url, page: Page):
    for width in (1024, 1280):
        page.set_viewport_size({"width": width, "height": 800})
        for path in ("/fr/", "/en/"):
            page.goto(campaign_site_url + path)
            tops = menu_link_tops(page)
            assert len(tops) >= 5
            assert len(set(tops)) == 1, f"{path} at {width} px: the menu wraps ({tops})"
            expect(page.locator(".main-nav__toggle")).to_be_hidden()
            # The header row (brand, search, language) is one line too.
            header = page.eval_on_selector_all(
                ".brand, .search-box, .language-switcher", "items => items.map(i => i.getBoundingClientRect().top)"
            )
            assert max(header) - min(header) < 20, header

    # On a phone the menu is closed at first: the question box shows in the first screen.
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto(campaign_site_url + "/fr/blogue/")
    toggle = page.locator(".main-nav__toggle")
    expect(toggle).to_be_visible()
    expect(toggle).to_contain_text("Blogue de la campagne")  # the current section
    first_link = page.locator(".main-nav__menu > ul a").first
    expect(first_link).to_be_hidden()
    toggle.click()
    expect(first_link).to_be_visible()
    expect(page.locator('.main-nav__menu a[aria-current="page"]')).to_have_text("Blogue de la campagne")
    toggle.click()
    expect(first_link).to_be_hidden()
    page.goto(campaign_site_url + "/fr/")
    box = page.locator("#question-box-input").bounding_box()
    assert box and box["y"] + box["height"] < 812, "the question box is in the first screen"


def test_question_box_and_its_examples_lead_to_the_search_page(campaign_site_url, page: Page):
    page.goto(campaign_site_url + "/en/")
    page.get_by_role("searchbox", name="A problem with a professional? Describe it.").fill("engineer")
    page.locator(".question-box button").click()
    expect(page).to_have_url(campaign_site_url + "/en/search/?q=engineer")
    page.goto(campaign_site_url + "/fr/")
    page.get_by_role("link", name="vérifier un ingénieur").click()
    expect(page).to_have_url(campaign_site_url + "/fr/recherche/?q=v%C3%A9rifier%20un%20ing%C3%A9nieur")


def test_chart_stays_readable_in_forced_colours_and_at_320_px(campaign_site_url, page: Page):
    page.set_viewport_size({"width": 320, "height": 640})
    page.emulate_media(forced_colors="active")
    page.goto(campaign_site_url + "/en/")
    fills = page.eval_on_selector_all(
        ".chart__bar .chart__seg", "segments => [...new Set(segments.map(s => getComputedStyle(s).fill))]"
    )
    assert len(fills) == 3, f"the three answers need three distinct colours in forced-colours mode: {fills}"
    table = page.locator(".chart__data table")
    expect(table).to_be_visible()
    expect(table.locator("tbody tr")).to_have_count(4)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
