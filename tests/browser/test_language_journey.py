import re

import pytest
from playwright.sync_api import Browser, Page, expect

pytestmark = pytest.mark.browser


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "fr-CA"}


def test_visitor_lands_on_french_home_and_switches_language(site_url, page: Page):
    page.goto(site_url + "/")
    expect(page).to_have_url(re.compile(r"/fr/$"))
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ordre de protéger")
    expect(page.get_by_role("link", name="Passer au contenu")).to_be_attached()

    page.get_by_role("link", name="English").click()
    expect(page).to_have_url(re.compile(r"/en/$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("link", name="Skip to content")).to_be_attached()

    page.get_by_role("link", name="Français").click()
    expect(page).to_have_url(re.compile(r"/fr/$"))
    expect(page.locator("html")).to_have_attribute("lang", "fr")


def test_english_browser_lands_on_english_home(site_url, browser: Browser):
    context = browser.new_context(locale="en-CA")
    page = context.new_page()
    page.goto(site_url + "/")
    expect(page).to_have_url(re.compile(r"/en/$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    context.close()
