"""axe-core finds no WCAG 2.1 A/AA violation on any public page type, in French and English, and a
keyboard user can skip to the content.

One test per language walks every page type of tests/pages.py: seeding the directory takes
seconds and the live server's database is flushed after each test, so it is seeded once per
language, and the failure lists every page at once.
"""

import pytest
from playwright.sync_api import Page

from tests.browser.quality import axe_report
from tests.factories import seed_quality_pages
from tests.pages import LANGUAGES, page_types

# The axe tests need node_modules (axe-core); the keyboard test needs only the browser.
pytestmark = pytest.mark.browser


@pytest.fixture
def quality_site_url(site_url):
    seed_quality_pages()
    return site_url


@pytest.mark.frontend_tools
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_type_has_no_axe_violations(quality_site_url, page: Page, language):
    problems = []
    for page_type in page_types():
        response = page.goto(quality_site_url + page_type.path(language))
        expected_status = 404 if page_type.name == "not found" else 200
        if response.status != expected_status:
            problems.append(f"{page_type.name}: HTTP {response.status}, expected {expected_status}")
            continue
        if page.locator("html").get_attribute("lang") != language:
            problems.append(f"{page_type.name}: <html lang> is not {language}")
        if report := axe_report(page):
            problems.append(f"{page_type.name} ({page.url}):\n{report}")
    assert not problems, "\n".join(problems)


@pytest.mark.frontend_tools
@pytest.mark.parametrize("language", LANGUAGES)
def test_main_page_types_fit_a_320_px_phone_without_axe_violations(quality_site_url, page: Page, language):
    page.set_viewport_size({"width": 320, "height": 640})
    problems = []
    for page_type in page_types(main_only=True):
        page.goto(quality_site_url + page_type.path(language))
        if (width := page.evaluate("document.documentElement.scrollWidth")) > 320:
            problems.append(f"{page_type.name}: horizontal scrolling at 320 px ({width} px wide)")
        if report := axe_report(page):
            problems.append(f"{page_type.name} ({page.url}):\n{report}")
    assert not problems, "\n".join(problems)


@pytest.fixture
def contact_site_url(site_url):
    from contact.loading import load_contact_file

    load_contact_file()
    return site_url


@pytest.mark.frontend_tools
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_contact_form_its_errors_and_its_thanks_pass_axe_at_320_and_1280_px(contact_site_url, page: Page, language):
    contact = {"fr": "/fr/contact/", "en": "/en/contact/"}[language]
    thanks = {"fr": "/fr/contact/merci/?copy=1", "en": "/en/contact/thanks/?copy=1"}[language]
    problems = []
    for width in (320, 1280):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(contact_site_url + contact)
        page.locator("#id_copy_requested").check()
        page.locator("#contact-form button[type=submit]").click()  # no message, no address: the errors
        states = {"errors": page.locator(".error-summary").count() == 1}
        for state, url in (("errors", None), ("form", contact), ("thanks", thanks)):
            if url:
                page.goto(contact_site_url + url)
            if (scroll := page.evaluate("document.documentElement.scrollWidth")) > width:
                problems.append(f"{state} at {width} px: {scroll} px wide")
            if report := axe_report(page):
                problems.append(f"{state} at {width} px ({page.url}):\n{report}")
        if not states["errors"]:
            problems.append(f"no error summary at {width} px")
    assert not problems, "\n".join(problems)


def test_keyboard_user_skips_to_the_content_with_a_visible_focus(site_url, page: Page):
    page.goto(site_url + "/fr/")
    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Passer au contenu")
    assert skip_link.evaluate("element => element === document.activeElement")
    box = skip_link.bounding_box()
    assert box and box["y"] >= 0 and box["width"] > 0, "the skip link must show when focused"
    assert skip_link.evaluate("element => getComputedStyle(element).outlineStyle") != "none"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
